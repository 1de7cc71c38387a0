from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "gongwei.care"
    verbose_name = _("Care engine")

    def ready(self):
        from . import pages, receivers  # noqa: F401  (receivers connect to people's signals)

        pages.connect()
