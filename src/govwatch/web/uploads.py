"""Uploaded files are judged by their bytes, never by their name or the browser's claim, and
stored under a name we make (a random stem and the extension of their real type)."""

from __future__ import annotations

import uuid

from django.conf import settings

from govwatch.lib.errors import GovwatchError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_LABELS = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}


def stored_name(content_type: str, prefix: str = "") -> str:
    """A file name of our own for an upload of this (sniffed) type: never the sender's name."""
    return f"{prefix}{uuid.uuid4().hex}{_EXTENSIONS[content_type]}"


def sniff_upload(upload, allowed: tuple[str, ...], max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The content type the file really is, or GovwatchError naming what is accepted."""
    accepted = "、".join(_LABELS[a] for a in allowed)
    if upload.size > max_bytes:
        raise GovwatchError(f"文件过大：{upload.size / 1024 / 1024:.1f} MB，上限 {max_bytes // 1024 // 1024} MB")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic) and content_type in allowed:
            if content_type.startswith("image/"):
                _check_image(upload, accepted)
            return content_type
    raise GovwatchError(f"文件内容不是 {accepted} 格式（按文件内容判断，与扩展名无关）")


def _check_image(upload, accepted: str) -> None:
    """A real image (not just a forged magic number) of a sane size: Pillow reads the header
    for the dimensions first, so an oversized image is refused before its pixels are decoded."""
    from PIL import Image

    cap = settings.GOVWATCH_MAX_IMAGE_PIXELS
    try:
        with Image.open(upload) as img:
            width, height = img.size
            if width * height > cap:
                raise GovwatchError(f"图片过大：{width}×{height} 像素，上限 {cap // 1_000_000} 百万像素")
            img.verify()
    except GovwatchError:
        raise
    except Exception:
        raise GovwatchError(f"文件内容不是 {accepted} 格式（按文件内容判断，与扩展名无关）") from None
    finally:
        upload.seek(0)
