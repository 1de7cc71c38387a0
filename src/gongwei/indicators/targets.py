"""Targets and work plans: set, copy, import, and compare with the figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import indicators as registry
from gongwei.care import periods
from gongwei.orgs.access import in_scope

from . import engine, pacing
from .models import Target


class TargetError(Exception):
    pass


def settable_units(user):
    """Whose targets ``user`` sets: the county its townships, a township its villages."""
    from gongwei.orgs.models import OrgUnit

    if not user.unit_id or user.unit.kind == "village":
        return OrgUnit.objects.none()
    child_kind = "township" if user.unit.kind == "county" else "village"
    return OrgUnit.objects.for_user(user).filter(parent_id=user.unit_id, kind=child_kind).order_by("code")


def parse_shares(text: str) -> list[float]:
    text = (text or "").replace("，", ",").replace("/", ",").replace("、", ",")
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise TargetError(_("Custom shares are numbers separated by / or commas, e.g. 40/40/20.")) from None


@transaction.atomic
def do_set_targets(request, year: int, indicator: str, rows: list[dict]) -> int:
    """Save targets of ``indicator`` for ``year``; every unit must be settable by the user."""
    allowed = set(settable_units(request.user).values_list("code", flat=True))
    registry.get(indicator)
    saved = 0
    for row in rows:
        if row["unit"] not in allowed:
            raise TargetError(_("You cannot set targets for %(unit)s.") % {"unit": row["unit"]})
        if row["pacing"] == Target.Pacing.CUSTOM:
            pacing.expected_share(pacing.CUSTOM, date(year, 6, 30), row["shares"])  # validates
        Target.objects.update_or_create(
            year=year, indicator=indicator, unit_id=row["unit"],
            defaults={"value": row["value"], "pacing": row["pacing"], "shares": row["shares"],
                      "set_by": request.user})
        saved += 1
    audit(request, Action.UPDATE, object_type="target", object_id=f"{year}:{indicator}",
          detail={"units": [r["unit"] for r in rows]})
    return saved


@transaction.atomic
def do_copy_last_year(request, year: int, indicator: str) -> int:
    units = list(settable_units(request.user).values_list("code", flat=True))
    last = Target.objects.filter(year=year - 1, indicator=indicator, unit_id__in=units)
    rows = [{"unit": t.unit_id, "value": t.value, "pacing": t.pacing, "shares": t.shares} for t in last]
    if not rows:
        raise TargetError(_("There are no targets of last year to copy."))
    return do_set_targets(request, year, indicator, rows)


def import_rows(table: list[list[str]]) -> tuple[list[dict], list[tuple[int, str]]]:
    """Rows of an Excel sheet: 年度, 指标代码, 机构代码, 目标值, 进度方式, 自定义比例."""
    pacing_words = {"全年": "flat", "flat": "flat", "按月": "even", "even": "even", "按季度": "quarterly",
                    "quarterly": "quarterly", "自定义": "custom", "custom": "custom"}
    rows, errors = [], []
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [""] * 6
        if not any(cells[:4]):
            continue
        year, indicator, unit, value, pace, shares = (str(c).strip() for c in cells[:6])
        try:
            registry.get(indicator)
        except KeyError:
            errors.append((number, _("Unknown indicator code %(code)s.") % {"code": indicator}))
            continue
        try:
            amount = Decimal(value)
        except InvalidOperation:
            errors.append((number, _("The target %(value)s is not a number.") % {"value": value}))
            continue
        if pace and pace not in pacing_words:
            errors.append((number, _("Pacing must be 全年, 按月, 按季度 or 自定义.")))
            continue
        try:
            parsed = parse_shares(shares)
        except TargetError as error:
            errors.append((number, str(error)))
            continue
        if not year.isdigit():
            errors.append((number, _("The year %(year)s is not a year.") % {"year": year}))
            continue
        rows.append({"year": int(year), "indicator": indicator, "unit": unit, "value": amount,
                     "pacing": pacing_words.get(pace, "even"), "shares": parsed})
    return rows, errors


@transaction.atomic
def do_import(request, table) -> int:
    rows, errors = import_rows(table)
    if errors:
        raise TargetError("\n".join(_("Row %(n)d: %(message)s") % {"n": n, "message": m} for n, m in errors))
    saved = 0
    for (year, indicator), group in _group(rows).items():
        saved += do_set_targets(request, year, indicator, group)
    return saved


def _group(rows):
    out: dict = {}
    for row in rows:
        out.setdefault((row["year"], row["indicator"]), []).append(row)
    return out


@dataclass
class Progress:
    unit: object
    definition: object
    target: Target
    actual: float | None
    expected: float
    status: str


def progress(user, on: date) -> list[Progress]:
    """Actual (year to date) vs expected now vs year target, for every target in scope."""
    targets = list(Target.objects.for_user(user).filter(year=on.year).select_related("unit"))
    if not targets:
        return []
    period = periods.year_to_date(on)
    units = {t.unit_id for t in targets}
    values = engine.stored(period, units)
    missing = {t.indicator for t in targets if (t.indicator, t.unit_id) not in values}
    if missing:
        engine.compute(period, sorted(missing))
        values = engine.stored(period, units)
    out = []
    for t in targets:
        try:
            d = registry.get(t.indicator)
        except KeyError:
            continue
        v = values.get((t.indicator, t.unit_id))
        actual = d.value(v.numerator, v.denominator) if v else None
        exp = pacing.expected(t.value, t.pacing, on, t.shares)
        out.append(Progress(t.unit, d, t, actual, exp, pacing.status(actual, exp, d.higher_is_better)))
    order = {"red": 0, "amber": 1, "grey": 2, "green": 3}
    return sorted(out, key=lambda p: (order[p.status], p.unit.code, p.definition.code))


def can_see(user, target: Target) -> bool:
    return in_scope(user, target.unit_id)
