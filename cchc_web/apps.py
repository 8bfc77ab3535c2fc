from django.apps import AppConfig


class CchcWebConfig(AppConfig):
    name = "cchc_web"
    label = "cchc_web"
    verbose_name = "Báo cáo cải cách hành chính"
    default_auto_field = "django.db.models.BigAutoField"
