"""An official's reply uploaded as a file: checked by its content, never by its name.

A PDF (it starts with `%PDF-` and pypdf reads it) is written again page by page, without its
document metadata, scripts, open actions, annotations or embedded files. An image (PNG or JPEG,
as Pillow reads it) is decoded and encoded again from its pixels only: no EXIF (place, camera,
time), no comments, no profile, nothing but the picture passes through. Anything else, anything
larger than REPLY_FILE_MAX_BYTES and any image larger than MAX_PIXELS is refused.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

#: Larger pictures are refused (a small file can decode to gigabytes).
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg"}
#: Per-page entries that can run something or carry a file: dropped.
PAGE_KEYS_DROPPED = ("/AA", "/Annots")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    file_type: str  # Reply.FileType
    content_type: str


def _refuse_size(size: int) -> None:
    limit = settings.REPLY_FILE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the largest allowed is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.1f}"},
            code="too_large",
        )


def _clean_pdf(data: bytes) -> CleanFile:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected by a password: upload one without."), code="encrypted"
            )
        writer = PdfWriter()
        for page in reader.pages:
            for key in PAGE_KEYS_DROPPED:
                if NameObject(key) in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        writer.add_metadata({"/Producer": "Campaign Letters"})
        output = io.BytesIO()
        writer.write(output)
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(
            _("The file is not a PDF that can be read."), code="bad_pdf"
        ) from error
    return CleanFile(output.getvalue(), "pdf", "application/pdf")


def _clean_image(data: bytes) -> CleanFile | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = IMAGE_FORMATS.get(image.format or "")
            if kind is None:
                return None
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The picture is too large: scan or photograph it at a lower resolution."),
                    code="too_many_pixels",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)  # the photo as seen, before EXIF goes
            mode = "RGB" if kind == "jpg" else ("RGBA" if "A" in upright.getbands() else "RGB")
            pixels = upright.convert(mode)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    # A new image from the pixels alone: no info, EXIF, ICC profile, text chunks or comments.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    output = io.BytesIO()
    if kind == "jpg":
        clean.save(output, format="JPEG", quality=90)
        return CleanFile(output.getvalue(), "jpg", "image/jpeg")
    clean.save(output, format="PNG", optimize=True)
    return CleanFile(output.getvalue(), "png", "image/png")


def clean_reply_file(upload) -> CleanFile:
    """The upload as it may be stored, or ValidationError saying why not."""
    _refuse_size(upload.size)
    data = upload.read(settings.REPLY_FILE_MAX_BYTES + 1)
    _refuse_size(len(data))
    if data.lstrip()[:5] == b"%PDF-":
        return _clean_pdf(data)
    image = _clean_image(data)
    if image is not None:
        return image
    raise ValidationError(
        _("Upload the reply as a PDF, a PNG or a JPEG picture: this file is none of them."),
        code="type",
    )


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
