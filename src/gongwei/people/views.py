from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.access import in_scope, scoped_view
from gongwei.orgs.models import Role

from . import services
from .duplicates import likely_duplicates
from .forms import (DeathForm, EncounterForm, HealthRecordForm, MergeForm, MoveHouseholdForm,
                    ResidentForm, StatusForm, TransferForm)
from .models import Encounter, Household, HouseholdMembership, Resident
from .search import search_residents
from .timeline import panels, timeline

DEDUP_ROLES = [Role.TOWNSHIP_PH, Role.TOWNSHIP_DIRECTOR, Role.TOWNSHIP_MCH, Role.COUNTY_ADMIN,
               Role.SYSADMIN]


def _resident(request, pk, *, writable=True) -> Resident:
    residents = Resident.objects.for_user(request.user) if writable else Resident.objects.readable_by(request.user)
    return get_object_or_404(residents.select_related("village", "doctor", "household"), pk=pk)


@scoped_view
def search(request):
    query = request.GET.get("q", "")
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    result = search_residents(request.user, query, page) if query else None
    if result is not None:
        audit(request, Action.SEARCH, object_type="resident", detail={"kind": result.kind, "hits": result.total})
    return render(request, "people/search.html", {"query": query, "result": result})


@scoped_view
def export(request):
    """The search result (or the whole register in scope) as Excel; audited as an export."""
    from openpyxl import Workbook

    query = request.GET.get("q", "")
    rows = (search_residents(request.user, query, 1, 5000).rows if query
            else Resident.objects.for_user(request.user).select_related("village").order_by("village_id", "name")[:50000])
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("Residents"))
    sheet.append([_("record number"), _("name"), _("sex"), _("date of birth"), _("ID number"),
                  _("phone"), _("village"), _("current address"), _("status")])
    count = 0
    for r in rows:
        sheet.append([r.record_number, r.name, r.get_sex_display(), r.birth_date, r.masked_id,
                      r.phone, r.village.name, r.address, r.get_status_display()])
        count += 1
    audit(request, Action.EXPORT, object_type="resident", detail={"query_kind": "search" if query else "all", "rows": count})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="residents.xlsx"'
    wb.save(response)
    return response


@scoped_view
def detail(request, pk):
    resident = _resident(request, pk, writable=False)
    writable = in_scope(request.user, resident.village_id)
    audit(request, Action.VIEW, obj=resident, resident_id=resident.pk)
    return render(request, "people/detail.html", {
        "r": resident, "writable": writable, "record": getattr(resident, "health_record", None),
        "timeline": timeline(resident, request.user),
        "panels": panels(resident, request.user) if writable else [],
        "memberships": HouseholdMembership.objects.filter(resident=resident).select_related("household"),
    })


@scoped_view
def reveal_id(request, pk):
    if request.method != "POST":
        return HttpResponse(status=405)
    resident = _resident(request, pk)
    number = services.do_reveal_id(request, resident)
    return HttpResponse(f'<span class="code" id="id-number">{number}</span>')


def _save_form(request, resident=None):
    instance = resident or Resident()
    form = ResidentForm(request.POST or None, instance=instance, user=request.user)
    health = HealthRecordForm(request.POST or None,
                              instance=getattr(resident, "health_record", None) if resident else None)
    if request.method == "POST" and form.is_valid() and health.is_valid():
        data = {f: form.cleaned_data[f] for f in form.fields if f in form.cleaned_data and not form.fields[f].disabled}
        hdata = dict(health.cleaned_data)
        try:
            if resident is None:
                resident = services.do_create_resident(request, data, hdata)
                messages.success(request, _("Record %(number)s created.") % {"number": resident.record_number})
            else:
                version = int(request.POST.get("version", 0))
                services.do_update_resident(request, resident, data, hdata, version)
                messages.success(request, _("Saved."))
            return redirect("people:detail", resident.pk), None, None
        except services.ActionError as error:
            form.add_error(None, str(error))
    return None, form, health


@scoped_view
def create(request):
    done, form, health = _save_form(request)
    return done or render(request, "people/form.html", {"form": form, "health": health})


@scoped_view
def edit(request, pk):
    resident = _resident(request, pk)
    done, form, health = _save_form(request, resident)
    return done or render(request, "people/form.html", {"form": form, "health": health, "r": resident})


def _action_view(request, pk, form_class, action, template_title, **form_kwargs):
    resident = _resident(request, pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            action(resident, form.cleaned_data)
            messages.success(request, _("Done."))
            if in_scope(request.user, Resident.objects.get(pk=resident.pk).village_id):
                return redirect("people:detail", resident.pk)
            return redirect("people:search")
        except services.ActionError as error:
            form.add_error(None, str(error))
    return render(request, "people/action.html", {"form": form, "r": resident, "title": template_title})


@scoped_view
def transfer(request, pk):
    return _action_view(request, pk, TransferForm, lambda r, d: services.do_transfer_resident(
        request, r, d["to_village"], d["date"], d["reason"]), _("Transfer to another village"))


@scoped_view
def death(request, pk):
    return _action_view(request, pk, DeathForm, lambda r, d: services.do_register_death(
        request, r, d["date"], d["cause"]), _("Register a death"))


@scoped_view
def status(request, pk):
    return _action_view(request, pk, StatusForm, lambda r, d: services.do_set_status(
        request, r, d["status"], d["date"], d["note"]), _("Change status"))


@scoped_view
def move_household(request, pk):
    return _action_view(request, pk, MoveHouseholdForm, lambda r, d: services.do_move_household(
        request, r, d["household"], d["relation"], d["date"]), _("Move to another household"), user=request.user)


@scoped_view
def encounter_new(request, pk):
    def add(resident, d):
        with transaction.atomic():
            enc = Encounter.objects.create(resident=resident, unit_id=request.user.unit_id or resident.village_id,
                                           doctor=request.user, **d)
            audit(request, Action.CREATE, obj=enc, resident_id=resident.pk)
    return _action_view(request, pk, EncounterForm, add, _("New encounter"))


@scoped_view(roles=DEDUP_ROLES)
def duplicates(request):
    return render(request, "people/duplicates.html", {"pairs": likely_duplicates(request.user)})


@scoped_view(roles=DEDUP_ROLES)
def merge(request, survivor, duplicate):
    keep = _resident(request, survivor)
    drop = _resident(request, duplicate)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.do_merge(request, keep, drop, form.cleaned_data["reason"])
            messages.success(request, _("Merged. Records moved: %(n)d.") % {"n": sum(moved.values())})
            return redirect("people:detail", keep.pk)
        except services.ActionError as error:
            form.add_error(None, str(error))
    return render(request, "people/merge.html", {"form": form, "keep": keep, "drop": drop})


@scoped_view
def household(request, household):
    h = get_object_or_404(Household.objects.for_user(request.user).select_related("head"), pk=household)
    members = (HouseholdMembership.objects.filter(household=h).select_related("resident")
               .order_by("left", "joined"))
    audit(request, Action.VIEW, obj=h)
    return render(request, "people/household.html", {"h": h, "members": members})

