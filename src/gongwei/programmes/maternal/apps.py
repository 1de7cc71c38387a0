from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaternalAppConfig(AppConfig):
    name = "gongwei.programmes.maternal"
    label = "maternal"
    verbose_name = _("Pregnancy and postpartum care")

    def ready(self):
        from gongwei.people import timeline

        from . import indicators, programme, receivers  # noqa: F401  (receivers connect to people's signals)

        programme.register_all()
        indicators.declare_all()
        timeline.PANELS.append(("maternal/_resident_panel.html", programme.resident_panel))
