"""The child's vaccination card on the resident page (people.timeline.PANELS), its doses on the
timeline (people.timeline.SOURCES), and the names of vaccines in the user's language."""

from datetime import date

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongwei.care.models import EnrolmentStatus
from gongwei.people import timeline
from gongwei.people.models import Status

from . import rules
from .models import AEFI, DoseRecord, VaccinationCard
from .programme import CONFIG, SCHEDULE
from .schedule import CATCH_UP, DUE, NOT_YET, OVERDUE, TOO_LATE, GivenDose, due_doses


def english() -> bool:
    return (get_language() or "").startswith("en")


def vaccine_name(code: str) -> str:
    try:
        v = SCHEDULE.vaccine(code)
    except KeyError:
        return code
    return v.name_en if english() else v.name_zh


def series_name(code: str, day: date | None = None) -> str:
    s = SCHEDULE.series_on(code, day or timezone.localdate())
    if s is None:
        return code
    return s.name_en if english() else s.name_zh


def dose_label(series: str, dose: int, day: date | None = None) -> str:
    name = series_name(series, day)
    return f"{name}, dose {dose}" if english() else f"{name}第{dose}剂"


STATUS_ORDER = {CATCH_UP: 0, OVERDUE: 1, DUE: 2, NOT_YET: 3, TOO_LATE: 4}
# The next dose of a series not yet due is shown when it falls due within this many days.
UPCOMING_DAYS = 62


def card_context(resident, user, today: date | None = None) -> dict:
    """What the card shows: the card, the doses given (with their verdict), the doses due."""
    today = today or timezone.localdate()
    card = (VaccinationCard.objects.for_user(user).filter(resident=resident)
            .select_related("clinic", "enrolment").first())
    doses = list(DoseRecord.objects.for_user(user).filter(resident=resident)
                 .select_related("clinic", "vaccinator").order_by("date", "id"))
    for d in doses:
        d.label = vaccine_name(d.vaccine)
        d.counted_label = dose_label(d.series, d.counted_as, d.date) if d.counted_as else ""
    due = []
    if today >= resident.birth_date:
        given = [GivenDose(d.vaccine, d.dose, d.date) for d in doses]
        seen: set[str] = set()
        for d in due_doses(resident.birth_date, given, today, sex=resident.sex, schedule=SCHEDULE):
            first = d.series not in seen       # the next dose of its series; later ones wait for it
            seen.add(d.series)
            if d.status == TOO_LATE or (d.status == NOT_YET and (not first or (d.earliest - today).days > UPCOMING_DAYS)):
                continue
            due.append({"d": d, "label": dose_label(d.series, d.dose, today), "vaccine": d.vaccine,
                        "can_give": d.status != NOT_YET})
        due.sort(key=lambda x: (STATUS_ORDER[x["d"].status], x["d"].earliest))
    managed = card is not None and card.enrolment.status == EnrolmentStatus.MANAGED
    age = today.year - resident.birth_date.year - (
        (today.month, today.day) < (resident.birth_date.month, resident.birth_date.day))
    return {
        "resident": resident, "card": card, "managed": managed, "doses": doses, "due": due, "today": today,
        "can_have_card": ((card is None or not managed) and resident.status == Status.ACTIVE
                          and 0 <= age < CONFIG.card_under_years),
        "card_due_by": rules.card_due_date(resident.birth_date, resident.registration, resident.residence_since,
                                           CONFIG, SCHEDULE),
        "aefis": list(AEFI.objects.for_user(user).filter(resident=resident).select_related("dose")),
    }


def card_panel(resident, user):
    today = timezone.localdate()
    young = resident.birth_date <= today and (today.year - resident.birth_date.year) <= CONFIG.card_under_years
    has_any = (VaccinationCard.objects.for_user(user).filter(resident=resident).exists()
               or DoseRecord.objects.for_user(user).filter(resident=resident).exists())
    if not (young or has_any):
        return None
    return card_context(resident, user, today)


def dose_entries(resident, user):
    for d in DoseRecord.objects.for_user(user).filter(resident=resident).select_related("clinic"):
        title = f"{_('Vaccination')} · {vaccine_name(d.vaccine)} {d.dose}"
        text = "" if d.valid else d.validity_reason
        yield timeline.Entry(d.date, "vaccination", title, text, d.clinic.name if d.clinic else d.elsewhere)
    for a in AEFI.objects.for_user(user).filter(resident=resident):
        yield timeline.Entry(a.onset_date, "aefi", _("Suspected adverse event following immunization"),
                             a.symptoms, a.get_classification_display())


def connect() -> None:
    timeline.PANELS.append(("immunization/_resident_panel.html", card_panel))
    timeline.SOURCES.append(dose_entries)
