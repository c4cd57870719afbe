"""A mail backend that writes each message as its own .eml file, named after its subject.

Without a mail server (the demo, a trial install) the office still gets every unit's
mail as a file it can open in any mail client or forward by hand. Django's file
backend appends every message to one .log file with encoded subjects; this one
writes standard RFC 5322 files, one per message.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

# Characters Windows and most file systems refuse in a file name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path or getattr(settings, "EMAIL_FILE_PATH", None) or ".")

    def send_messages(self, email_messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = _UNSAFE.sub("_", message.subject).strip(" ._")[:120] or "邮件"
            path = self.folder / f"{name}.eml"
            n = 2
            while path.exists():  # two mails with one subject keep both files
                path = self.folder / f"{name}（{n}）.eml"
                n += 1
            path.write_bytes(message.message().as_bytes(linesep="\r\n"))
            sent += 1
        return sent
