from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class LoginView(auth_views.LoginView):
    # Plain Django authentication: django-axes (settings.AUTHENTICATION_BACKENDS) throttles it.
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def admin_login(request):
    """/admin/login/ has no password form of its own: one login path, one throttle.

    Anonymous visitors go to the dashboard's login and come back; a signed-in user who is not
    staff gets 403 (sending them to the login again would loop, as they are already signed in)."""
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("admin:index")
    return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")


def password_reset_enabled() -> bool:
    from django.conf import settings

    return bool(settings.GOVWATCH_PASSWORD_RESET and settings.GOVWATCH_MAIL_CONFIGURED)


def reset_gate(view):
    """404 unless password reset is enabled: with no real mail the reset link would land in the
    server's log, where whoever reads it can take over the account."""
    from functools import wraps

    from django.http import Http404

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not password_reset_enabled():
            raise Http404("未开启找回密码")
        return view(request, *args, **kwargs)

    return gated
