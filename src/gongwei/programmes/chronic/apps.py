from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChronicAppConfig(AppConfig):
    name = "gongwei.programmes.chronic"
    label = "chronic"
    verbose_name = _("Hypertension and type 2 diabetes")

    def ready(self):
        from gongwei.people import timeline

        from . import indicators, programme

        programme.register_all()
        indicators.declare_all()
        timeline.PANELS.append(("chronic/_resident_links.html", programme.resident_links))
