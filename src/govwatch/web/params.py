"""Ids from query strings and POST bodies: anything but a plain positive number is "not found",
never a 500 (int("abc") in a queryset raises ValueError, a 20-digit id overflows the database)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

_MAX_ID = 2**63 - 1  # the database's largest integer key


def pk_or_404(value) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdecimal() or not text.isascii():
        raise Http404("编号无效")
    pk = int(text)
    if not 0 < pk <= _MAX_ID:
        raise Http404("编号无效")
    return pk


def object_or_404(model_or_queryset, value):
    """The object whose primary key is `value` (as sent by the browser), else 404."""
    return get_object_or_404(model_or_queryset, pk=pk_or_404(value))


def valid_pks(values) -> list[int]:
    """The well-formed ids among many (a multi-select); the others are dropped."""
    out = []
    for value in values:
        try:
            out.append(pk_or_404(value))
        except Http404:
            continue
    return out
