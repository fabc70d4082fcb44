"""Validators for Dutch identifiers that residents and boards type by hand."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_KVK = re.compile(r"^\d{8}$")
# A four-digit area (PC4, as a neighbourhood is usually described) or a full postcode (PC6).
# Dutch postcodes never start with 0 and never end in SA, SD or SS.
_POSTCODE = re.compile(r"^[1-9]\d{3}(?:\s?[A-Z]{2})?$")


def validate_kvk_number(value: str) -> None:
    if not _KVK.match(value or ""):
        raise ValidationError(
            _("A KvK number has exactly 8 digits, for example 12345678."), code="invalid_kvk"
        )


def normalise_postcode(value: str) -> str:
    """'2533ab' and '2533 AB' both become '2533 AB'; '2533' stays '2533'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact


def validate_postcode(value: str) -> None:
    postcode = normalise_postcode(value)
    if not _POSTCODE.match(postcode) or postcode[-2:] in {"SA", "SD", "SS"}:
        raise ValidationError(
            _(
                "%(value)s is not a Dutch postcode. Use 4 digits (2533) or 4 digits and 2 letters (2533 AB)."
            ),
            code="invalid_postcode",
            params={"value": value},
        )


def parse_postcodes(text: str) -> list[str]:
    """Split a list typed as '2533, 2534 AB' into normalised postcodes, refusing any bad one."""
    items = [item for item in re.split(r"[,;\n]+", text or "") if item.strip()]
    postcodes = []
    for item in items:
        validate_postcode(item)
        postcodes.append(normalise_postcode(item))
    return postcodes
