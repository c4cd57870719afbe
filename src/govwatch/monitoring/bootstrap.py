"""Start Django from the command line: settings, and migrations on first use (zero setup)."""

from __future__ import annotations

import os

_ready = False


def setup_django(migrate: bool = True) -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govwatch.settings")
    import django

    django.setup()
    if migrate:
        from django.conf import settings
        from django.core.management import call_command

        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            from pathlib import Path

            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        if db["ENGINE"].endswith("sqlite3"):
            _owner_only(Path(db["NAME"]))
    _ready = True


def _owner_only(database) -> None:
    """Tighten a database (and its WAL files) made before files were created 0600."""
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        try:
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except OSError:  # not ours to change (another owner): leave it
            pass
