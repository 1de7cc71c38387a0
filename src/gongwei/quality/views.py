"""The data-quality room: findings per village, run now, explain, one doctor's day.

Views parse, check scope and call an action (STYLE: Zulip); every row comes through
``for_user``, so a unit outside the scope is simply not found.
"""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care.models import Visit
from gongwei.orgs.access import scope_prefix, scoped_view
from gongwei.orgs.codes import VILLAGE
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident

from . import checks
from .actions import QualityError, do_explain, do_run, may_explain
from .links import record_url
from .models import Finding

STATES = {"open": {"resolved_at__isnull": True},
          "explained": {"resolved_at__isnull": False, "resolved_by__isnull": False},
          "corrected": {"resolved_at__isnull": False, "resolved_by__isnull": True}}


def _filters(request) -> dict:
    check = request.GET.get("check") or None
    if check not in {c.code for c in checks.CHECKS}:
        check = None
    village = request.GET.get("village") or None
    if village and not OrgUnit.objects.for_user(request.user).filter(code=village).exists():
        village = None
    state = request.GET.get("state") if request.GET.get("state") in STATES else "open"
    return {"check": check, "village": village, "state": state}


def _counts_by_village(user) -> list[dict]:
    """Open findings per unit and check: every village of the scope (a clean village shows
    as clean), plus any other unit that owns a finding (a township's encounters)."""
    counts: dict[str, dict[str, int]] = {}
    for unit, code, n in (Finding.objects.for_user(user).filter(resolved_at__isnull=True)
                          .values_list("village_id", "check_code").annotate(n=Count("id")).order_by()):
        counts.setdefault(unit, {})[code] = n
    units = OrgUnit.objects.for_user(user).filter(kind=VILLAGE) | OrgUnit.objects.filter(code__in=list(counts))
    return [{"unit": u, "cells": [(c.code, counts.get(u.code, {}).get(c.code, 0)) for c in checks.CHECKS],
             "total": sum(counts.get(u.code, {}).values())} for u in units.order_by("code")]


@scoped_view
def findings(request):
    f = _filters(request)
    mine = Finding.objects.for_user(request.user)
    totals = dict(mine.filter(resolved_at__isnull=True).values_list("check_code").annotate(n=Count("id")).order_by())
    rows = mine.filter(**STATES[f["state"]])
    if f["check"]:
        rows = rows.filter(check_code=f["check"])
    if f["village"]:
        rows = rows.under(f["village"])
    names = Resident.objects.filter(pk=OuterRef("resident_id")).values("name")[:1]
    rows = rows.annotate(resident_name=Subquery(names)).select_related("village", "resolved_by")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for finding in page:
        finding.rule = checks.get(finding.check_code)
        finding.url = record_url(finding)
        finding.explainable = finding.resolved_at is None and may_explain(request.user, finding)
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    above_village = user.is_superuser or (user.unit is not None and user.unit.kind != VILLAGE)
    audit(request, Action.VIEW, object_type="quality_findings",
          detail={k: v or "" for k, v in f.items()} | {"page": page.number})
    return render(request, "quality/findings.html", {
        "filters": f, "page": page, "query": query.urlencode(), "checks": checks.CHECKS,
        "totals": [(c, totals.get(c.code, 0)) for c in checks.CHECKS], "states": list(STATES),
        "villages": OrgUnit.objects.for_user(user).filter(kind=VILLAGE),
        "by_village": _counts_by_village(user) if above_village else None,
    })


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("quality:findings")


@scoped_view
@require_POST
def run_now(request):
    """Recompute the findings of the user's whole scope, in one transaction."""
    result = do_run(request, scope_prefix(request.user))
    messages.success(request, _("Checks done: %(opened)d new, %(corrected)d corrected, %(open)d open.") % {
        "opened": result.opened, "corrected": result.corrected, "open": result.still_open})
    return redirect(_back(request))


@scoped_view
@require_POST
def explain(request):
    finding = get_object_or_404(Finding.objects.for_user(request.user), pk=request.POST.get("finding") or 0)
    try:
        do_explain(request, finding, request.POST.get("note", ""))
        messages.success(request, _("Finding marked as explained."))
    except QualityError as error:
        messages.error(request, str(error))
    return redirect(_back(request))


@scoped_view
def day(request, code):
    """The visits one doctor recorded on one day in one unit: the evidence behind a
    visit-density finding, each linked to the resident."""
    unit = get_object_or_404(OrgUnit.objects.for_user(request.user), code=code)
    try:
        doctor, on = int(request.GET.get("doctor", "")), date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        doctor, on = None, None
    visits = (Visit.objects.for_user(request.user).under(unit.code).filter(doctor_id=doctor, date=on)
              .select_related("resident", "doctor").order_by("created_at", "id"))
    audit(request, Action.VIEW, object_type="quality_day", record_unit=unit.code,
          detail={"doctor": doctor or "", "date": on.isoformat() if on else ""})
    return render(request, "quality/day.html", {"unit": unit, "visits": visits, "on": on})
