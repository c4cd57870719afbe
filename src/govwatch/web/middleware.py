"""A Content-Security-Policy for every page of ours: own scripts and styles only,
nothing inline. The evidence view sets its own, stricter policy."""

from __future__ import annotations

APP_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")

ADMIN_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django admin (5.2) still writes some inline style attributes.
        policy = ADMIN_CSP if request.path.startswith("/admin/") else APP_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
