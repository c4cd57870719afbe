"""Uploaded files are judged by their bytes, never by their name or the browser's claim."""

from __future__ import annotations

from govwatch.lib.errors import GovwatchError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_LABELS = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}


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
            if content_type.startswith("image/") and not _image_decodes(upload):
                break
            return content_type
    raise GovwatchError(f"文件内容不是 {accepted} 格式（按文件内容判断，与扩展名无关）")


def _image_decodes(upload) -> bool:
    """A real image, not just a forged magic number: Pillow parses it when present."""
    try:
        from PIL import Image
    except ImportError:  # Pillow is optional; the signature check still holds
        return True
    try:
        with Image.open(upload) as img:
            img.verify()
        return True
    except Exception:
        return False
    finally:
        upload.seek(0)
