from django.apps import AppConfig


class CatalogConfig(AppConfig):
    verbose_name = "站点与单位"
    name = "govwatch.catalog"
    default_auto_field = "django.db.models.BigAutoField"
