from django.contrib.auth import views as auth_views

from govwatch.web.forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
