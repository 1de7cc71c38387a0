from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.access import scoped_view
from gongwei.orgs.models import OrgUnit

from . import registry, worklists
from .actions import CareError, do_close, do_record_referral_outcome
from .models import Enrolment, EnrolmentStatus, Referral


def _filters(request):
    programme = request.GET.get("programme") or None
    if programme and programme not in {p.code for p in registry.all_programmes()}:
        programme = None
    village = request.GET.get("village") or None
    if village and not OrgUnit.objects.for_user(request.user).filter(code=village).exists():
        village = None
    return {"programme": programme, "village": village}


def _visit_url(enrolment):
    spec = registry.get(enrolment.programme)
    return reverse(spec.visit_url_name, args=[enrolment.pk]) if spec.visit_url_name else ""


def _rows(enrolments, today):
    rows = []
    for e in enrolments:
        rows.append({"e": e, "name": registry.get(e.programme).name, "visit_url": _visit_url(e),
                     "days_overdue": (today - e.window_end).days if e.window_end and e.window_end < today else 0})
    return rows


@scoped_view
def worklist(request):
    today = timezone.localdate()
    f = _filters(request)
    # A township's lists run to thousands; show the first rows of each and the per-village
    # counts, and let "all" (or a village filter) open the whole list.
    is_village = bool(request.user.unit and request.user.unit.kind == "village")
    limit = None if request.GET.get("all") or f["village"] or is_village else worklists.ROWS_SHOWN
    lists = worklists.page(request.user, today, limit=limit, counts=not is_village, **f)
    context = {
        "today": today, "filters": f, "programmes": registry.all_programmes(),
        "villages": OrgUnit.objects.for_user(request.user).filter(kind="village"),
        "due_week": _rows(lists["due_week"], today), "due_month": _rows(lists["due_month"], today),
        "overdue": _rows(lists["overdue"], today), "referrals": lists["referrals"],
        "by_village": lists.get("by_village"), "limit": limit,
    }
    audit(request, Action.VIEW, object_type="worklist", detail={"programme": f["programme"] or ""})
    return render(request, "care/worklist.html", context)


@scoped_view
def monthly_plan(request):
    """The doctor's visit plan for the month, to print and take on the round."""
    today = timezone.localdate()
    f = _filters(request)
    month = worklists.this_month(today)
    due = worklists.managed(request.user, **f).filter(next_due__lte=month.end).select_related(
        "resident", "village").order_by("village_id", "next_due", "resident__name")
    audit(request, Action.EXPORT, object_type="worklist", detail={"plan": month.start.isoformat()})
    return render(request, "care/plan.html", {"rows": _rows(due, today), "month": month, "today": today})


@scoped_view
def export(request):
    from openpyxl import Workbook

    today = timezone.localdate()
    f = _filters(request)
    month = worklists.this_month(today)
    due = worklists.managed(request.user, **f).filter(next_due__lte=month.end).select_related(
        "resident", "village").order_by("village_id", "next_due")
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("Visit plan"))
    sheet.append([_("Village"), _("Name"), _("Programme"), _("Due"), _("Due by"), _("Days overdue"),
                  _("Phone"), _("Address")])
    count = 0
    for row in _rows(due, today):
        e = row["e"]
        sheet.append([e.village.name, e.resident.name, str(row["name"]), e.next_due, e.window_end,
                      row["days_overdue"], e.resident.phone, e.resident.address])
        count += 1
    audit(request, Action.EXPORT, object_type="worklist", detail={"rows": count})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="visit-plan-{month.start:%Y-%m}.xlsx"'
    wb.save(response)
    return response


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=gettext_lazy("outcome"), max_length=200)
    date = forms.DateField(label=gettext_lazy("outcome date"), widget=forms.DateInput(attrs={"type": "date"}))


@scoped_view
def referral_outcome(request, referral):
    ref = get_object_or_404(Referral.objects.for_user(request.user).select_related("resident"), pk=referral)
    form = OutcomeForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            do_record_referral_outcome(request, ref, form.cleaned_data["outcome"], form.cleaned_data["date"])
            messages.success(request, _("Referral outcome recorded."))
            return redirect("care:worklist")
        except CareError as error:
            form.add_error(None, str(error))
    return render(request, "care/referral_outcome.html", {"form": form, "ref": ref})




class CloseForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("reason"), choices=[
        (s.value, s.label) for s in (EnrolmentStatus.LOST, EnrolmentStatus.TRANSFERRED, EnrolmentStatus.CLOSED)])
    date = forms.DateField(label=gettext_lazy("closed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


@scoped_view
def close(request, enrolment):
    """End a management (lost to follow-up, moved away, closed); deaths close it by themselves."""
    e = get_object_or_404(Enrolment.objects.for_user(request.user).select_related("resident"), pk=enrolment)
    form = CloseForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            do_close(request, e, form.cleaned_data["status"], form.cleaned_data["date"], form.cleaned_data["note"])
            messages.success(request, _("Management closed."))
            return redirect("people:detail", e.resident_id)
        except CareError as error:
            form.add_error(None, str(error))
    return render(request, "care/close.html", {"form": form, "e": e, "name": registry.get(e.programme).name})
