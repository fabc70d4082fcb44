"""Receipt files: checked by their content, kept outside the web root, read back only by the
views that check who asks (ADR 0052).

A receipt is a PDF, a JPEG or a PNG. What it is comes from its bytes, never from its name or
the type the browser claims: Pillow opens and verifies an image, pypdf reads a PDF's pages. It is
stored in `settings.RECEIPTS_ROOT` under a random name with the extension of its real type, and
its SHA-256 is kept beside it in the database.
"""

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from wijkbv.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 255
# The content types we keep, by the format Pillow names, and the extension they are stored with.
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF_TYPE = ("application/pdf", ".pdf")


@dataclass(frozen=True)
class CheckedFile:
    """A receipt whose content has been checked: what it really is and its checksum."""

    data: bytes
    name: str
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def too_big_message() -> str:
    return _("The receipt is larger than %(size)s MB. Send a smaller photo or PDF.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def check_size(size: int, *, field: str = "receipt") -> None:
    """Refuse a file by its size before it is read, so a huge upload is never held in memory."""
    if size > MAX_BYTES:
        raise DomainError(too_big_message(), field=field, code="too_big")


def check(data, name: str, *, field: str = "receipt") -> CheckedFile:
    """The file as a CheckedFile, or a DomainError on `field` that says what is wrong."""
    if not isinstance(data, bytes) or not data:
        raise DomainError(_("Add a photo or PDF of the receipt."), field=field, code="required")
    check_size(len(data), field=field)
    found = _pdf(data) or _image(data)
    if found is None:
        raise DomainError(
            _("This file is not a PDF, JPEG or PNG. Send a photo or a PDF of the receipt."),
            field=field,
            code="not_a_receipt",
        )
    content_type, extension = found
    name = Path(str(name or "")).name.strip()[:MAX_NAME] or f"receipt{extension}"
    return CheckedFile(
        data=data,
        name=name,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _pdf(data: bytes):
    if data.lstrip()[:5] != b"%PDF-":
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                return None
    except Exception:  # any way a file fails to read as a PDF means: not a PDF
        return None
    return PDF_TYPE


def _image(data: bytes):
    try:
        with warnings.catch_warnings():
            # A decompression bomb warns first and raises above twice the limit: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception:  # any way a file fails to open as an image means: not an image
        return None
    return IMAGE_TYPES.get(kind)


def root() -> Path:
    return Path(settings.RECEIPTS_ROOT)


def store(checked: CheckedFile) -> str:
    """Write the file under a new random name; returns that name."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + checked.extension
    path = folder / stored_name
    with open(path, "xb") as out:
        out.write(checked.data)
    return stored_name


def remove(stored_name: str) -> None:
    """Take back a file whose decision was refused after it was written."""
    (root() / stored_name).unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    """Where a stored receipt lies. The name is ours (hex and an extension), never a path a
    person typed; a name with anything else is refused."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValueError(f"not a stored receipt name: {stored_name!r}")
    return root() / stored_name
