"""Stage 6: after-publish hooks. Notifiers (mail digests, and later others) hang here.

The pipeline never imports a notifier. Hooks are named in settings
(`GOVWATCH_AFTER_PUBLISH_HOOKS`, dotted paths to callables taking the run) or registered in
code with `register`. Each runs once the publishing transaction has committed; a hook that
fails is logged and does not touch the run, which is already published.
"""

from __future__ import annotations

import logging
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

_registered: list[Callable] = []


def register(hook: Callable) -> Callable:
    """Add a hook for this process (usable as a decorator)."""
    if hook not in _registered:
        _registered.append(hook)
    return hook


def unregister(hook: Callable) -> None:
    if hook in _registered:
        _registered.remove(hook)


def after_publish_hooks() -> list[Callable]:
    named = [import_string(path) for path in getattr(settings, "GOVWATCH_AFTER_PUBLISH_HOOKS", ())]
    return named + [h for h in _registered if h not in named]


def after_publish(run) -> None:
    """Schedule every hook for when the run's publication is committed (at once outside a transaction)."""
    for hook in after_publish_hooks():
        transaction.on_commit(lambda hook=hook: _call(hook, run))


def _call(hook: Callable, run) -> None:
    try:
        hook(run)
    except Exception:  # the run is published; a notifier's failure is logged, not turned into a run failure
        log.exception("after-publish hook %r failed for run %s", hook, run.pk)
