"""Due, overdue and catch-up lists per clinic: index ranges over the stored next doses.

A township officer sees every village of the township, a village doctor their village
(``for_user``). A row is a child; it shows the child's next doses in that list with their
earliest valid dates (minimum age, minimum intervals, cross-series and live-vaccine rules:
``schedule.due_doses`` as stored by ``rules.stored_schedule``). Nothing here loops over
children in Python: the children of a page are one grouped query over NextDose
(``imm_next_list_idx``, covering: no table read, no join), their doses a second one.

The tab conditions are those of ``rules.in_tab``.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, Q

from gongwei.care.models import EnrolmentStatus
from gongwei.people.models import Status

from . import rules
from .models import NextDose, VaccinationCard
from .programme import SCHEDULE


def tab_filter(tab: str, today: date) -> Q:
    end = rules.month_end(today)
    due = Q(earliest__lte=end, overdue_from__gt=today)
    overdue = Q(overdue_from__lte=today, catch_up_from__gt=today)
    catch_up = Q(catch_up_from__lte=today)
    which = {rules.DUE_TAB: due, rules.OVERDUE_TAB: overdue, rules.CATCH_UP_TAB: catch_up,
             rules.ALL_TAB: due | Q(overdue_from__lte=today)}[tab]
    return which & Q(too_late_from__gt=today)


def series_codes() -> list[str]:
    seen: dict[str, None] = {}
    for version in SCHEDULE.versions:
        for s in version.series:
            seen.setdefault(s.code, None)
    return list(seen)


def next_doses(user, tab: str, today: date, village: str | None = None, series: str | None = None):
    """The stored next doses in the list ``tab`` on ``today``, in ``user``'s scope.

    No join: NextDose rows exist only for open cards of children on the register (see the
    model; death, moving out and being lost remove them at once, people.signals). A
    management closed by hand on the care pages is heard of only at night: such a child is
    left out of the page's rows at once (``rows_for``) and out of the counts after the
    nightly refresh.
    """
    qs = NextDose.objects.for_user(user).filter(tab_filter(tab, today))
    if village:
        qs = qs.under(village)
    if series:
        qs = qs.filter(series=series)
    return qs


def children(user, tab: str, today: date, village: str | None = None, series: str | None = None):
    """One row per card: ``card_id`` and ``first`` (its earliest date in the list), by date."""
    return (next_doses(user, tab, today, village, series).values("card_id")
            .annotate(first=Min("earliest")).order_by("first", "card_id"))


@dataclass
class Listed:
    """A stored next dose as a list row shows it."""

    card_id: int
    series: str
    dose: int
    vaccine: str
    earliest: date
    overdue_from: date
    catch_up_from: date
    too_late_from: date
    status: str = ""
    label: str = ""


@dataclass
class Row:
    card: VaccinationCard
    first: date
    doses: list = field(default_factory=list)   # Listed


CARD_FIELDS = ("number", "village__name", "enrolment__status", "resident__name", "resident__sex",
               "resident__birth_date", "resident__phone", "resident__contact_phone", "resident__contact_name",
               "resident__address", "resident__status")


def rows_for(user, tab: str, today: date, card_ids: list[int], series: str | None = None) -> list[Row]:
    """The page's rows: the cards with their residents, and their next doses in the list."""
    from .panel import dose_label

    cards = (VaccinationCard.objects.for_user(user).select_related("resident", "village", "enrolment")
             .only(*CARD_FIELDS).in_bulk(card_ids))
    doses = NextDose.objects.filter(tab_filter(tab, today), card_id__in=card_ids)
    if series:
        doses = doses.filter(series=series)
    labels: dict[tuple[str, int], str] = {}
    by_card: dict[int, list] = {}
    for values in doses.order_by("earliest", "series").values_list(
            "card_id", "series", "dose", "vaccine", "earliest", "overdue_from", "catch_up_from", "too_late_from"):
        d = Listed(*values)
        d.status = rules.status_on(d, today)
        key = (d.series, d.dose)
        if key not in labels:
            labels[key] = dose_label(d.series, d.dose, today)
        d.label = labels[key]
        by_card.setdefault(d.card_id, []).append(d)
    rows = []
    for pk in card_ids:
        card = cards.get(pk)
        if card and card.enrolment.status == EnrolmentStatus.MANAGED and card.resident.status == Status.ACTIVE:
            ds = by_card.get(pk, [])
            rows.append(Row(card, min((d.earliest for d in ds), default=today), ds))
    return rows


def uncarded(user, today: date, village: str | None = None):
    """Children 0–6 on the register without a card, youngest first (建卡 to do)."""
    from gongwei.people.models import Resident

    qs = (Resident.objects.for_user(user).filter(status=Status.ACTIVE, birth_date__lte=today,
                                                 birth_date__gt=rules.last_birth_aged(today))
          .filter(vaccination_card__isnull=True))
    if village:
        qs = qs.under(village)
    return qs.select_related("village").order_by("-birth_date", "name")
