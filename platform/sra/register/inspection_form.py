"""Reading the inspection checklist form: every field checked before anything is stored.

Photos are checked by their content (JPEG, PNG or WebP), size-capped, and re-encoded as JPEG
so what is kept holds no camera metadata (location of someone's home).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar.datastructures import UploadFile

from sra.files import sniff_content_type
from sra.files.sniff import JPEG, PNG, WEBP
from sra.i18n import gettext as _
from sra.identity.forms import Errors
from sra.register import form_values
from sra.register.inspection import CHECK_ITEMS, ENERGY_LABELS, CheckResult
from sra.register.intake import Checklist

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 8
MAX_SIDE = 2000
MAX_NOTES = 5000
METER_MAX = 1e9
FORM_MAX_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


@dataclass(frozen=True, slots=True)
class Photo:
    filename: str
    data: bytes


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_checklist(form: Any) -> tuple[Checklist | None, dict[str, str], Errors]:
    """The checklist, the values to show again, and the errors by field name."""
    values = {name: _text(form, name) for name in form}
    errors: Errors = {}
    results: dict[str, CheckResult] = {}
    for item in CHECK_ITEMS:
        raw = values.get(f"check_{item}", "")
        try:
            results[item] = CheckResult(raw)
        except ValueError:
            errors[f"check_{item}"] = _("Please choose what you found.")
    count, error = form_values.whole_number(values.get("smoke_detectors_count", ""), low=0, high=50)
    if error:
        errors["smoke_detectors_count"] = error
    detectors_ok = values.get("smoke_detectors_ok", "")
    if detectors_ok not in ("yes", "no"):
        errors["smoke_detectors_ok"] = _("Please say whether the smoke detectors work.")
    label = values.get("energy_label", "")
    if label and label not in ENERGY_LABELS:
        errors["energy_label"] = _("Please choose an energy label from the list.")
    meters: dict[str, float | None] = {}
    for name in ("meter_electricity_kwh", "meter_gas_m3", "meter_water_m3"):
        meters[name], error = form_values.number(values.get(name, ""), low=0, high=METER_MAX)
        if error:
            errors[name] = error
    notes = values.get("notes", "")
    if len(notes) > MAX_NOTES:
        errors["notes"] = _("The notes can be at most {n} characters long.").format(n=MAX_NOTES)
    if errors or count is None:
        return None, values, errors
    checklist = Checklist(
        results=results,
        smoke_detectors_count=count,
        smoke_detectors_ok=detectors_ok == "yes",
        energy_label=label or None,
        meter_electricity_kwh=meters["meter_electricity_kwh"],
        meter_gas_m3=meters["meter_gas_m3"],
        meter_water_m3=meters["meter_water_m3"],
        notes=notes,
    )
    return checklist, values, errors


async def read_photos(form: Any) -> tuple[list[Photo], str | None]:
    """The uploaded photos re-encoded, or an error for beside the photo field."""
    uploads = [u for u in form.getall("photos", []) if isinstance(u, UploadFile) and u.filename]
    if len(uploads) > MAX_PHOTOS:
        return [], _("Please add at most {n} photos at a time.").format(n=MAX_PHOTOS)
    photos: list[Photo] = []
    for upload in uploads:
        data = await upload.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            return [], _("Each photo can be at most {n} MB.").format(
                n=MAX_PHOTO_BYTES // (1024 * 1024)
            )
        if sniff_content_type(data) not in (JPEG, PNG, WEBP):
            return [], _("Photos must be JPEG, PNG or WebP images.")
        encoded = reencode(data)
        if encoded is None:
            return [], _("One of the photos could not be read. Please try another file.")
        photos.append(Photo(upload.filename.rsplit(".", 1)[0] + ".jpg", encoded))
    return photos, None


def reencode(data: bytes) -> bytes | None:
    """The picture as a JPEG at most ``MAX_SIDE`` pixels wide or high, without metadata."""
    import warnings

    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                picture = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()
