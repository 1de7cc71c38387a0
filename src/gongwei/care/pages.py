"""What the care engine adds to the resident's page: programmes and visits."""

from django.utils.translation import gettext_lazy as _

from gongwei.people import timeline

from . import registry
from .models import Enrolment, Visit


def _visits(resident, user):
    for v in Visit.objects.for_user(user).filter(resident=resident).select_related("doctor"):
        spec = registry.get(v.programme)
        default = _("Annual health check") if v.kind == "annual_exam" else _("Follow-up")
        kind = spec.kind_labels.get(v.kind, default)
        classification = spec.classification_labels.get(v.classification, v.classification)
        yield timeline.Entry(v.date, "visit", f"{spec.name} · {kind}", classification, str(v.doctor))


def _panel(resident, user):
    enrolments = list(Enrolment.objects.for_user(user).filter(resident=resident).order_by("-enrolled_on"))
    rows = []
    for e in enrolments:
        spec = registry.get(e.programme)
        rows.append({"e": e, "name": spec.name, "visit_url_name": spec.visit_url_name})
    return {"resident": resident, "enrolments": rows}


def connect() -> None:
    timeline.SOURCES.append(_visits)
    timeline.PANELS.append(("care/_resident_panel.html", _panel))
