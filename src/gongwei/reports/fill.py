"""The computed part of a report (its snapshot), from indicators or from the reports below.

A village's rows come from the stored indicator values of the village (computed now when
absent). A township's rows are the sums of its villages' *approved* reports, numerators and
denominators added and rates recomputed from the sums (never averaged). Manual counts of
the villages are summed too; the township adds its own on top.

Snapshot layout (JSON)::

    {"rows": {row key: {"available": bool, "numerator": n, "denominator": d, "unit": "%"}},
     "villages": {"included": [codes], "missing": [codes]},   # townships only
     "villages_manual": {row key: sum},                        # townships only
     "filled_at": ISO time}
"""

from decimal import Decimal

from gongwei.care import indicators as registry
from gongwei.care.periods import Period
from gongwei.indicators import engine
from gongwei.orgs.models import OrgUnit

from .forms_catalogue import DECIMAL, DENOMINATOR, INT, NUMERATOR, FormDef
from .models import LOCKED, Report, Status

NOT_AVAILABLE = {"available": False}


def number(value):
    """A JSON-friendly number: an int when whole (counts), else a float."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def add(a, b):
    return number(Decimal(str(a or 0)) + Decimal(str(b or 0)))


def shown(row, entry: dict):
    """The number a computed row shows; None when the indicator is not available."""
    if not entry.get("available"):
        return None
    if row.show == NUMERATOR:
        return entry["numerator"]
    if row.show == DENOMINATOR:
        return entry["denominator"]
    unit = entry.get("unit", registry.PERCENT)
    if unit == registry.COUNT:
        return entry["numerator"]
    if not entry["denominator"]:
        return None  # 0 of 0: a rate of nothing
    return round(float(entry["numerator"]) * registry.MULTIPLIER[unit] / float(entry["denominator"]), 2)


def _declared(form: FormDef, period: Period) -> dict:
    out = {}
    for code in form.indicator_codes:
        try:
            definition = registry.get(code)
        except KeyError:
            continue  # not declared (yet): its rows show "not available"
        if period.kind in definition.periods:
            out[code] = definition
    return out


def village_rows(form: FormDef, unit_code: str, period: Period, refresh: bool = False) -> dict:
    declared = _declared(form, period)
    values = engine.stored(period, [unit_code], list(declared)) if declared else {}
    stale = list(declared) if refresh else [c for c in declared if (c, unit_code) not in values]
    if stale:
        engine.compute(period, stale, under=unit_code)
        values = engine.stored(period, [unit_code], list(declared))
    rows = {}
    for row in form.rows:
        if row.manual:
            continue
        value = values.get((row.indicator, unit_code))
        if row.indicator not in declared or value is None:
            rows[row.key] = NOT_AVAILABLE
        else:
            rows[row.key] = {"available": True, "numerator": number(value.numerator),
                             "denominator": number(value.denominator), "unit": declared[row.indicator].unit}
    return {"rows": rows}


def township_rows(form: FormDef, township: str, period: Period) -> dict:
    villages = list(OrgUnit.objects.filter(parent_id=township, kind="village", active=True)
                    .order_by("code").values_list("code", flat=True))
    approved = list(Report.objects.filter(form=form.code, period_start=period.start, unit_id__in=villages,
                                          status=Status.APPROVED).order_by("unit_id"))
    rows = {}
    for row in form.rows:
        if row.manual:
            continue
        parts = [r.snapshot.get("rows", {}).get(row.key, NOT_AVAILABLE) for r in approved]
        parts = [p for p in parts if p.get("available")]
        if not parts:
            rows[row.key] = NOT_AVAILABLE
            continue
        rows[row.key] = {"available": True, "unit": parts[0].get("unit", registry.PERCENT),
                         "numerator": number(sum(Decimal(str(p["numerator"])) for p in parts)),
                         "denominator": number(sum(Decimal(str(p["denominator"])) for p in parts))}
    included = [r.unit_id for r in approved]
    return {"rows": rows, "villages": {"included": included, "missing": [v for v in villages if v not in included]},
            "villages_manual": sum_manual(form, approved)}


def sum_manual(form: FormDef, reports) -> dict:
    """Numeric manual rows added up over ``reports`` (villages' totals include their own)."""
    sums = {}
    for row in form.manual_rows:
        if row.type not in (INT, DECIMAL):
            continue
        total = 0
        for r in reports:
            total = add(total, total_manual(r, row.key))
        sums[row.key] = total
    return sums


def total_manual(report: Report, key: str):
    """A manual row's figure: the unit's own, plus its villages' for a township."""
    own = report.manual.get(key)
    below = report.snapshot.get("villages_manual", {}).get(key)
    if below is None:
        return own
    return add(below, own)


def monthly_sums(form: FormDef, unit_code: str, period: Period) -> dict:
    """A summary's manual counts prefilled from the unit's own monthly reports of the period.

    Only the unit's own entries are summed (a township's villages come in through
    ``villages_manual``), from reports that were at least submitted.
    """
    if not form.sums_months_of:
        return {}
    months = Report.objects.filter(form=form.sums_months_of, unit_id=unit_code, period_start__gte=period.start,
                                   period_start__lte=period.end,
                                   status__in=[Status.SUBMITTED, *LOCKED])
    sums = {}
    for report in months:
        for row in form.manual_rows:
            if row.type in (INT, DECIMAL) and report.manual.get(row.key) not in (None, ""):
                sums[row.key] = add(sums.get(row.key), report.manual[row.key])
    return sums
