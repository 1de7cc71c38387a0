"""Who is due, who is overdue, who was referred: index range scans over stored due dates."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from .models import Enrolment, EnrolmentStatus, Referral


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def this_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(monday, monday + timedelta(days=6))


def this_month(today: date) -> Period:
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return Period(first, next_first - timedelta(days=1))


def managed(user, programme: str | None = None, village: str | None = None):
    qs = Enrolment.objects.for_user(user).filter(status=EnrolmentStatus.MANAGED)
    if programme:
        qs = qs.filter(programme=programme)
    if village:
        qs = qs.under(village)
    return qs


# What a work-list row shows; loading only these keeps a township's list fast (building
# whole residents was most of its time at 500,000 residents).
ROW_FIELDS = ("programme", "next_due", "window_end", "version", "village__name", "resident__name",
              "resident__phone", "resident__address", "resident_id", "village_id")


def due(user, today: date, until: date, **filters):
    """Due by ``until`` and not yet past their window: the visits to make now."""
    return (managed(user, **filters).filter(next_due__lte=until, window_end__gte=today)
            .select_related("resident", "village").only(*ROW_FIELDS).order_by("next_due", "resident__name"))


def overdue(user, today: date, **filters):
    """Past the end of their window; ``days_overdue`` is computed by the view."""
    return (managed(user, **filters).filter(window_end__lt=today)
            .select_related("resident", "village").only(*ROW_FIELDS).order_by("window_end", "resident__name"))


def open_referrals(user, programme: str | None = None, village: str | None = None):
    qs = Referral.objects.for_user(user).filter(outcome_date__isnull=True)
    if programme:
        qs = qs.filter(enrolment__programme=programme)
    if village:
        qs = qs.under(village)
    return qs.select_related("resident", "village", "enrolment").order_by("follow_up_by")


def counts_by_village(user, today: date, programme: str | None = None) -> list[dict]:
    """For a township: per village, how many are due this month, overdue, referred."""
    month = this_month(today)
    rows = (managed(user, programme).values("village_id", "village__name").annotate(
        managed=Count("id"),
        due=Count("id", filter=Q(next_due__lte=month.end, window_end__gte=today)),
        overdue=Count("id", filter=Q(window_end__lt=today)),
    ).order_by("village_id"))
    referrals = dict(open_referrals(user, programme).values_list("village_id").annotate(n=Count("id")))
    return [{**row, "referrals": referrals.get(row["village_id"], 0)} for row in rows]


# Rows of each list a township sees at first; the per-village counts carry the overview.
ROWS_SHOWN = 100


def page(user, today: date, *, programme: str | None = None, village: str | None = None,
         limit: int | None = None, counts: bool = False) -> dict:
    """Everything the work-list page shows, evaluated: the view and the benchmark share it."""
    week, month = this_week(today), this_month(today)
    filters = {"programme": programme, "village": village}

    def cut(qs):
        return list(qs if limit is None else qs[:limit])

    out = {
        "due_week": cut(due(user, today, week.end, **filters)),
        "due_month": cut(due(user, today, month.end, **filters).filter(next_due__gt=week.end)),
        "overdue": cut(overdue(user, today, **filters)),
        "referrals": list(open_referrals(user, **filters)[:200]),
    }
    if counts:
        out["by_village"] = counts_by_village(user, today, programme)
    return out
