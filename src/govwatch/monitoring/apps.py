from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    verbose_name = "监测"
    name = "govwatch.monitoring"
    default_auto_field = "django.db.models.BigAutoField"
