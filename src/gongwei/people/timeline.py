"""The resident's page lists every service record as one timeline, newest first.

Programmes added later contribute their own entries through :data:`SOURCES`: a function
(resident, user) → iterable of Entry. Each source filters by the viewer's scope, so after a
transfer the sending unit still sees what it recorded, and only that.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import Encounter, Transfer


@dataclass
class Entry:
    date: date
    kind: str
    title: str
    text: str = ""
    unit: str = ""


def _record_created(resident, user):
    yield Entry(resident.record_created, "record", _("Health record created"), resident.record_number)


def _encounters(resident, user):
    for e in Encounter.objects.for_user(user).filter(resident=resident).select_related("unit", "doctor"):
        yield Entry(e.date, "encounter", _("Encounter"), " / ".join(
            t for t in (e.subjective, e.assessment, e.plan) if t), f"{e.unit.name} · {e.doctor}")


def _transfers(resident, user):
    for t in Transfer.objects.filter(resident=resident).select_related("from_village", "to_village"):
        yield Entry(t.date, "transfer", _("Transferred"), f"{t.from_village.name} → {t.to_village.name}", t.reason)


def _status(resident, user):
    if resident.status_date and resident.status != "active":
        yield Entry(resident.status_date, "status", resident.get_status_display(),
                    resident.death_cause or resident.moved_to)


SOURCES = [_record_created, _encounters, _transfers, _status]

# Sections that higher layers add to the resident's page: (template name, function
# (resident, user) → context dict, or None to leave the section out).
PANELS: list[tuple[str, object]] = []


def panels(resident, user) -> list[dict]:
    out = []
    for template, build in PANELS:
        data = build(resident, user)
        if data is not None:
            out.append({"template": template, "data": data})
    return out


def timeline(resident, user) -> list[Entry]:
    entries = [entry for source in SOURCES for entry in source(resident, user)]
    return sorted(entries, key=lambda e: e.date, reverse=True)
