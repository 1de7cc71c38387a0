"""Pages of the reports room. Views parse, ask ``for_user`` for the rows, call an action and
turn its errors into messages; every rule lives in actions.py and rules.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.access import scope_prefix, scoped_view
from gongwei.orgs.models import OrgUnit

from . import actions, display, exports, periods, rules
from .forms_catalogue import FORMS
from .models import Report, Status

MCH_ROLES = {"township_mch", "county_mch"}


def _form(request):
    code = request.GET.get("form") or request.POST.get("form")
    if code in FORMS:
        return FORMS[code]
    return FORMS["mch_month" if request.user.role in MCH_ROLES else "bphs_month"]


def _units(user, form):
    """The user's unit and the level below it, of the kinds that report this form."""
    prefix = scope_prefix(user) or ""
    top = len(prefix) if len(prefix) in (6, 9, 12) else 6
    return [u for u in OrgUnit.objects.for_user(user).filter(kind__in=form.levels, active=True).order_by("code")
            if len(u.code) in (top, top + 3)]


@scoped_view
def report_list(request):
    form = _form(request)
    today = timezone.localdate()
    try:
        period = periods.period_for(form, request.GET["period"])
    except (KeyError, periods.BadPeriod):
        period = periods.latest_closed(form, today)
    units = _units(request.user, form)
    found = {r.unit_id: r for r in Report.objects.for_user(request.user).filter(
        form=form.code, period_start=period.start, unit__in=units).select_related("submitted_by")}
    rows = []
    for unit in units:
        report = found.get(unit.code)
        due = report.deadline if report else periods.deadline(form, unit.kind, period)
        rows.append({"unit": unit, "report": report, "deadline": due,
                     "overdue": (report.overdue_on(today) if report else today > due),
                     "may_fill": rules.may_prepare(request.user, form, unit.code)
                     and (report is None or report.editable)})
    waiting = [r for r in Report.objects.for_user(request.user).filter(status=Status.SUBMITTED)
               .select_related("unit").order_by("deadline", "unit_id")
               if rules.may_review(request.user, r) or rules.may_accept(request.user, r)]
    return render(request, "reports/list.html", {
        "form": form, "forms": list(FORMS.values()), "period": period, "period_value": periods.value_of(period),
        "period_label": periods.label(period), "choices": [(periods.value_of(p), periods.label(p))
                                                           for p in periods.recent(form, today)],
        "rows": rows, "waiting": waiting, "english": display.english()})


@scoped_view
def fill(request):
    """Start (or refresh) a unit's report for a period, then open it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    code = request.POST.get("form")
    if code not in FORMS:
        raise Http404
    unit = get_object_or_404(OrgUnit.objects.for_user(request.user), code=request.POST.get("unit", ""))
    try:
        period = periods.period_for(FORMS[code], request.POST.get("period", ""))
        report = actions.do_fill(request, code, unit, period)
    except periods.BadPeriod:
        raise Http404 from None
    except actions.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except actions.ReportError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('reports:list')}?{urlencode({'form': code, 'period': request.POST.get('period', '')})}")
    messages.success(request, _("The report was filled from the records."))
    return redirect("reports:detail", report=report.pk)


def _manual_data(request, report):
    form = FORMS[report.form]
    return {row.key: request.POST.get(f"m_{row.key}", "") for row in form.manual_rows}


@scoped_view
def detail(request, report):
    report = get_object_or_404(Report.objects.for_user(request.user).select_related("unit"), pk=report)
    typed, errors = None, None
    if request.method == "POST":
        outcome = _act(request, report)
        if outcome is None:
            return redirect("reports:detail", report=report.pk)
        typed, errors = outcome
    return _page(request, report, typed, errors)


def _act(request, report):
    """Run the posted action; None when done, else (typed, errors) to show the form again."""
    action = request.POST.get("action", "")
    # The version the page was drawn from; a post without one counts as stale.
    posted = request.POST.get("version", "")
    version = int(posted) if posted.isdigit() else 0
    data = _manual_data(request, report)
    try:
        if action == "save":
            actions.do_save(request, report, data, version=version)
            messages.success(request, _("Saved."))
        elif action == "fill":
            actions.do_fill(request, report.form, report.unit, periods.of(report), refresh=True)
            messages.success(request, _("The report was filled from the records."))
        elif action == "submit":
            report, findings = actions.do_submit(request, report, data, version=version)
            messages.success(request, _("Submitted."))
            if report.late:
                messages.warning(request, _("Submitted after the deadline: the report is marked late."))
            if findings:
                messages.warning(request, ngettext(
                    "%(n)d data-quality finding is still open in this unit. The report was submitted; please look at it.",
                    "%(n)d data-quality findings are still open in this unit. The report was submitted; please look at them.",
                    findings) % {"n": findings})
        elif action == "return":
            actions.do_return(request, report, request.POST.get("reason", ""), version=version)
            messages.success(request, _("Returned to the unit with the reason."))
        elif action == "approve":
            actions.do_approve(request, report, version=version)
            messages.success(request, _("Approved. The report is now locked."))
        elif action == "accept":
            actions.do_accept(request, report, version=version)
            messages.success(request, _("Accepted. The report is now locked."))
        else:
            return data, {}
    except actions.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except actions.Invalid as error:
        messages.error(request, str(error))
        return data, error.errors
    except actions.ReportError as error:  # locked, changed meanwhile, no reason given
        messages.error(request, str(error))
    return None


def _page(request, report, typed, errors):
    form = FORMS[report.form]
    allowed = rules.allowed(request.user, report)
    villages = report.snapshot.get("villages", {})
    names = dict(OrgUnit.objects.filter(code__in=villages.get("included", []) + villages.get("missing", []))
                 .values_list("code", "name"))
    return render(request, "reports/detail.html", {
        "report": report, "form": form, "rows": display.rows(report, typed=typed, errors=errors),
        "allowed": allowed, "editing": "save" in allowed,
        "period_label": periods.label(periods.of(report)), "english": display.english(),
        "overdue": report.overdue_on(timezone.localdate()),
        "findings": actions.open_findings(report.unit_id) if "submit" in allowed else 0,
        "included": [names.get(c, c) for c in villages.get("included", [])],
        "missing": [names.get(c, c) for c in villages.get("missing", [])],
        "events": report.events.select_related("user")})


def _export(request, report, kind):
    report = get_object_or_404(Report.objects.for_user(request.user).select_related(
        "unit", "submitted_by", "reviewed_by"), pk=report)
    if kind == "xlsx":
        body, mime = exports.xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mime = exports.pdf(report), "application/pdf"
    audit(request, Action.EXPORT, obj=report, detail={"form": report.form, "period": str(report.period_start),
                                                      "format": kind})
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = (f'attachment; filename="{report.form}-{report.unit_id}-'
                                       f'{periods.value_of(periods.of(report))}.{kind}"')
    return response


@scoped_view
def export_xlsx(request, report):
    return _export(request, report, "xlsx")


@scoped_view
def export_pdf(request, report):
    return _export(request, report, "pdf")
