"""Cleaning what a person typed before a service decides on it: one wording for the same
mistake everywhere."""

from django.utils.translation import gettext as _

from wijkbv.errors import DomainError


def clean_text(value, *, field: str, limit: int, required_message=None) -> str:
    """Text stripped of spaces around it; None is empty. Anything but text, text longer than
    `limit`, or empty text where `required_message` is given, is a DomainError on `field`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(_("Fill in text."), field=field)
    value = value.strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > limit:
        raise DomainError(
            _("Keep this to at most %(limit)s characters.") % {"limit": limit}, field=field
        )
    return value
