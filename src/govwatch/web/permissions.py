"""View decorators. Anonymous users go to the login page; a logged-in user
without the role gets 403 with a page that names nothing of what was asked."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from govwatch.web import roles


def role_required(*allowed: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not roles.roles_of(request.user) & set(allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


any_role = role_required(*roles.ALL_ROLES)
office_only = role_required(roles.OFFICE)
reviewers = role_required(roles.OFFICE, roles.REVIEWER)
