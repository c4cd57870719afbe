from django.apps import AppConfig


class WebConfig(AppConfig):
    verbose_name = "网页管理端"
    name = "govwatch.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
