from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import indicators as registry
from gongwei.care import periods
from gongwei.orgs.access import scope_prefix, scoped_view
from gongwei.orgs.models import OrgUnit

from . import engine


def _period(request):
    return periods.parse(request.GET.get("period", "ytd"), request.GET.get("value", ""), timezone.localdate())


def _visible_units(user):
    """The user's own unit and the level just below it."""
    prefix = scope_prefix(user)
    mine = OrgUnit.objects.for_user(user).filter(kind__in=["county", "township", "village"])
    top = len(prefix) if prefix else 6
    return [u for u in mine.order_by("code") if len(u.code) in (top, top + 3) or (top == 0 and len(u.code) <= 9)]


@scoped_view
def overview(request):
    period = _period(request)
    programmes = sorted({d.programme for d in registry.all_indicators()})
    programme = request.GET.get("programme") if request.GET.get("programme") in programmes else (programmes[0] if programmes else "")
    defs = [d for d in registry.all_indicators() if d.programme == programme and period.kind in d.periods]
    units = _visible_units(request.user)
    values = engine.stored(period, [u.code for u in units], [d.code for d in defs])
    if defs and not values:
        # Nothing computed for this period yet: compute it now for the user's part of the tree.
        engine.compute(period, [d.code for d in defs], under=scope_prefix(request.user) or "")
        values = engine.stored(period, [u.code for u in units], [d.code for d in defs])
    rows = [{"unit": u, "cells": [{"d": d, "v": values.get((d.code, u.code)),
                                   "value": d.value(*(lambda v: (v.numerator, v.denominator))(values[(d.code, u.code)]))
                                   if (d.code, u.code) in values else None} for d in defs]} for u in units]
    computed_at = max((v.computed_at for v in values.values()), default=None)
    return render(request, "indicators/overview.html", {
        "rows": rows, "defs": defs, "period": period, "programme": programme, "programmes": programmes,
        "kind": request.GET.get("period", "ytd"), "value": request.GET.get("value", ""),
        "computed_at": computed_at, "query": request.GET.urlencode()})


@scoped_view(roles=["township_ph", "township_mch", "township_director", "county_admin", "county_cdc",
                    "county_mch", "sysadmin"])
def recompute(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    period = _period(request)
    engine.compute(period, under=scope_prefix(request.user) or "")
    messages.success(request, _("Indicators recomputed from the records."))
    return redirect(f"{request.path.rsplit('recompute', 1)[0]}?{request.GET.urlencode()}")


@scoped_view
def members(request, indicator, code):
    """The residents behind a figure: the denominator, marked in or out of the numerator."""
    try:
        definition = registry.get(indicator)
    except KeyError:
        raise Http404 from None
    unit = get_object_or_404(OrgUnit.objects.for_user(request.user), code=code)
    if definition.members is None:
        raise Http404
    period = _period(request)
    people = definition.members(period, unit.code).select_related("village").order_by("in_numerator", "village_id", "name")
    if request.GET.get("export") == "xlsx":
        return _export(request, definition, unit, period, people)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    audit(request, Action.VIEW, object_type="indicator_members", object_id=definition.code,
          record_unit=unit.code, detail={"period": period.label, "page": page.number})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "indicators/members.html", {"d": definition, "unit": unit, "period": period,
                                                       "page": page, "query": query.urlencode()})


def _export(request, definition, unit, period, people):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(definition.code)
    sheet.append([definition.name_zh, unit.name, period.label])
    sheet.append([_("Name"), _("Sex"), _("Date of birth"), _("ID number"), _("Village"), _("In numerator")])
    count = 0
    for r in people:
        sheet.append([r.name, r.get_sex_display(), r.birth_date, r.masked_id, r.village.name,
                      _("yes") if r.in_numerator else _("no")])
        count += 1
    audit(request, Action.EXPORT, object_type="indicator_members", object_id=definition.code,
          record_unit=unit.code, detail={"period": period.label, "rows": count})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{definition.code}-{unit.code}.xlsx"'
    wb.save(response)
    return response


TARGET_ROLES = ["township_ph", "township_mch", "township_director", "county_admin", "county_cdc",
                "county_mch", "sysadmin"]


@scoped_view(roles=TARGET_ROLES)
def targets(request):
    from . import targets as plan
    from .models import Target

    today = timezone.localdate()
    defs = registry.all_indicators()
    code = request.GET.get("indicator") or request.POST.get("indicator") or (defs[0].code if defs else "")
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    units = list(plan.settable_units(request.user))
    existing = {t.unit_id: t for t in Target.objects.filter(year=year, indicator=code, unit__in=units)}
    errors, typed = [], {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "copy":
                n = plan.do_copy_last_year(request, year, code)
                messages.success(request, _("Copied %(n)d targets from last year.") % {"n": n})
                return redirect(f"{request.path}?indicator={code}&year={year}")
            if action == "import":
                from gongwei.orgs.services import read_table

                upload = request.FILES.get("file")
                if not upload:
                    raise plan.TargetError(_("Choose a file."))
                n = plan.do_import(request, read_table(upload.name, upload.read()))
                messages.success(request, _("Imported %(n)d targets.") % {"n": n})
                return redirect(f"{request.path}?indicator={code}&year={year}")
            rows = []
            for u in units:
                value = request.POST.get(f"value_{u.code}", "").strip()
                typed[u.code] = {"value": value, "pacing": request.POST.get(f"pacing_{u.code}", "even"),
                                 "shares": request.POST.get(f"shares_{u.code}", "")}
                if not value:
                    continue
                try:
                    amount = float(value)
                except ValueError:
                    errors.append(_("%(unit)s: the target %(value)s is not a number.") % {"unit": u.name, "value": value})
                    continue
                if amount < 0:
                    errors.append(_("%(unit)s: the target cannot be negative.") % {"unit": u.name})
                    continue
                try:
                    shares = plan.parse_shares(typed[u.code]["shares"])
                    if typed[u.code]["pacing"] == "custom":
                        from . import pacing

                        pacing.expected_share(pacing.CUSTOM, timezone.localdate(), shares)
                except (plan.TargetError, ValueError) as error:
                    errors.append(f"{u.name}: {error}")
                    continue
                rows.append({"unit": u.code, "value": value, "pacing": typed[u.code]["pacing"], "shares": shares})
            if not errors:
                n = plan.do_set_targets(request, year, code, rows)
                messages.success(request, _("Saved %(n)d targets.") % {"n": n})
                return redirect(f"{request.path}?indicator={code}&year={year}")
        except plan.TargetError as error:
            errors.extend(str(error).split("\n"))
    table = []
    for u in units:
        t = existing.get(u.code)
        entry = typed.get(u.code) or {"value": t.value if t else "", "pacing": t.pacing if t else "even",
                                      "shares": "/".join(f"{s:g}" for s in t.shares) if t else ""}
        table.append({"unit": u, **entry})
    return render(request, "indicators/targets.html", {
        "defs": defs, "code": code, "year": year, "table": table, "errors": errors,
        "pacings": Target.Pacing.choices})


@scoped_view
def progress(request):
    from . import targets as plan

    today = timezone.localdate()
    rows = plan.progress(request.user, today)
    behind = [r for r in rows if r.status in ("red", "amber")]
    return render(request, "indicators/progress.html", {"rows": rows, "behind": behind, "today": today})


@scoped_view
def dashboard(request):
    """One dashboard per level, read from stored values only so it stays fast at county scale."""
    from django.conf import settings

    from .models import IndicatorValue, Target

    today = timezone.localdate()
    defs = registry.all_indicators()
    if not defs:
        raise Http404
    definition = next((d for d in defs if d.code == request.GET.get("indicator")), defs[0])
    unit = get_object_or_404(OrgUnit.objects.for_user(request.user),
                             code=request.GET.get("unit") or scope_prefix(request.user) or OrgUnit.objects.order_by("code").first().code)
    ytd = periods.year_to_date(today)

    def value(v):
        return definition.value(v.numerator, v.denominator)

    months = {v.period_start.month: v for v in IndicatorValue.objects.filter(
        indicator=definition.code, unit=unit, period_kind="month", period_start__year=today.year)}
    children = list(OrgUnit.objects.for_user(request.user).filter(parent=unit, kind__in=["township", "village"]).order_by("code"))
    child_values = {v.unit_id: v for v in IndicatorValue.objects.filter(
        indicator=definition.code, unit__in=children, period_kind="ytd", period_start=ytd.start)}
    targets = {t.unit_id: t for t in Target.objects.filter(year=today.year, indicator=definition.code, unit__in=children)}
    ranking = sorted(
        ({"code": c.code, "name": c.name, "value": value(child_values[c.code]) if c.code in child_values else None,
          "numerator": float(child_values[c.code].numerator) if c.code in child_values else None,
          "denominator": float(child_values[c.code].denominator) if c.code in child_values else None,
          "target": float(targets[c.code].value) if c.code in targets else None,
          "village": c.kind == "village"} for c in children),
        key=lambda r: (r["value"] is None, -(r["value"] or 0) if definition.higher_is_better else (r["value"] or 0)))
    data = {
        "indicator": definition.name_zh, "unit": definition.unit,
        "trend": [{"month": m, "value": value(months[m]) if m in months else None} for m in range(1, today.month + 1)],
        "ranking": ranking,
        # The drill-down target of a village bar: the residents behind its figure.
        "members_url": reverse("indicators:members", args=[definition.code, "UNIT"]),
    }
    return render(request, "indicators/dashboard.html", {
        "defs": defs, "d": definition, "unit": unit, "data": data, "ranking": ranking,
        "trend": data["trend"], "echarts": settings.ECHARTS_AVAILABLE, "ancestors": _ancestors(request.user, unit)})


def _ancestors(user, unit):
    codes = [unit.code[:n] for n in (6, 9) if n < len(unit.code)]
    return list(OrgUnit.objects.for_user(user).filter(code__in=codes).order_by("code"))
