from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmunizationAppConfig(AppConfig):
    name = "gongwei.programmes.immunization"
    label = "immunization"
    verbose_name = _("Immunization")

    def ready(self):
        from . import indicators, panel, programme, receivers  # noqa: F401 - receivers connect on import

        programme.register_all()
        indicators.declare_all()
        panel.connect()
