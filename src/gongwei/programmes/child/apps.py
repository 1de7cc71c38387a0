from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildAppConfig(AppConfig):
    name = "gongwei.programmes.child"
    label = "child"
    verbose_name = _("Child health (0–6)")

    def ready(self):
        from . import indicators, panel, programme, receivers  # noqa: F401 - receivers connect on import

        programme.register_all()
        indicators.declare_all()
        panel.connect()
