from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from govwatch.web.views.auth import admin_login, reset_gate

# django.contrib.auth.urls minus its login (ours, throttled, is web:login) and with password
# reset behind reset_gate: off unless mail is configured and the office turned it on.
_accounts = [
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", reset_gate(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("password_reset/done/", reset_gate(auth_views.PasswordResetDoneView.as_view()),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", reset_gate(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("reset/done/", reset_gate(auth_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
]

urlpatterns = [
    # Browsers ask for /favicon.ico on their own (also for pages without our <link rel="icon">).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    # Before admin.site.urls, so the admin's own password form is never served.
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("", include("govwatch.web.urls")),
    path("accounts/", include(_accounts)),
]
