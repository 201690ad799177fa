"""Reading and checking the account forms. Each check returns a translated message or None."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sra.i18n import gettext as _
from sra.identity.passwords import MIN_LENGTH

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")

Errors = dict[str, str]


def field(form: Mapping[str, Any], name: str, *, strip: bool = True) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def check_email(email: str) -> str | None:
    if not email:
        return _("Please enter your e-mail address.")
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        return _("This does not look like an e-mail address, for example name@example.org.")
    return None


def check_display_name(name: str) -> str | None:
    if not name:
        return _("Please enter a name.")
    if len(name) > 200:
        return _("The name can be at most 200 characters long.")
    return None


def check_username(username: str) -> str | None:
    if not username:
        return _("Please choose a username.")
    if not USERNAME_PATTERN.match(username.lower()):
        return _(
            "A username has 3 to 60 characters: letters a-z, digits, dots, dashes or "
            "underscores, starting with a letter or a digit."
        )
    return None


def check_new_password(password: str, confirm: str) -> Errors:
    errors: Errors = {}
    if len(password) < MIN_LENGTH:
        errors["password"] = _("The password must have at least {n} characters.").format(
            n=MIN_LENGTH
        )
    elif len(password) > 1000:
        errors["password"] = _("The password is too long.")
    if password != confirm:
        errors["password_confirm"] = _("The two passwords are not the same.")
    return errors
