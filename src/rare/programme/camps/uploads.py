"""Which files may be uploaded as session materials: by extension AND by what the bytes really are."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> content type given to the stored file
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
    "md": "text/markdown",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# The folder inside an Office Open XML package that tells a document, a workbook and a presentation apart.
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def allowed_list() -> str:
    return ", ".join(sorted({e for e in ALLOWED if e != "jpeg"}))


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None


def _odf_mimetype(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None


def content_matches(extension: str, data: bytes) -> bool:
    """Do the bytes look like a file of this extension?"""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {"jpg", "jpeg"}:
        return data.startswith(b"\xff\xd8\xff")
    if extension in {"txt", "md"}:
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if extension in _OOXML_PART:
        if not data.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(data) or []
        return "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[extension]) for n in names)
    if extension in {"odt", "ods", "odp"}:
        return data.startswith(b"PK\x03\x04") and _odf_mimetype(data) == ALLOWED[extension]
    return False


def check_upload(upload) -> tuple[bytes, str]:
    """The uploaded file's bytes and content type, or a ValidationError that says what is wrong."""
    limit = settings.RARE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    extension = extension_of(upload.name or "")
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(types)s.") % {"types": allowed_list()},
            code="type",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if not content_matches(extension, data):
        raise ValidationError(
            _("The file's content is not a %(type)s file, although its name ends in .%(ext)s.")
            % {"type": extension.upper(), "ext": extension},
            code="content",
        )
    return data, ALLOWED[extension]
