"""The staff second factor: time-based one-time codes (RFC 6238) from an authenticator app."""

from __future__ import annotations

import pyotp
import segno

ISSUER = "Social rental agency"


def new_secret() -> str:
    return str(pyotp.random_base32())


def code_is_valid(secret: str | None, code: str) -> bool:
    """The current or the previous 30-second code (clocks drift; people type slowly)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(digits) != 6:
        return False
    return bool(pyotp.TOTP(secret).verify(digits, valid_window=1))


def provisioning_uri(secret: str, account: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER))


def qr_svg(uri: str) -> str:
    """The provisioning address as an inline SVG QR code (no image file, no network)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2733", light="#ffffff"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
