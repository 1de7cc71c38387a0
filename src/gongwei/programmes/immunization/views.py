"""Pages of the immunization programme: the clinic's lists, the child's card, adverse events."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care.models import Enrolment
from gongwei.orgs.access import prefix_filter, scope_prefix, scoped_view
from gongwei.orgs.models import OrgUnit, Role, User
from gongwei.people.models import Resident

from . import lists, rules
from .actions import ImmunizationError, do_classify_aefi, do_issue_card, do_record_dose, do_report_aefi
from .forms import AefiForm, CardForm, ClassifyForm, DoseForm
from .models import AEFI, AefiClass, DoseRecord
from .panel import card_context, series_name, vaccine_name
from .programme import PROGRAMME

# Who writes cards and doses: the village clinics and the township health centres that run
# the vaccination clinics. County staff read, and the county CDC classifies adverse events.
WRITERS = frozenset({Role.VILLAGE_DOCTOR, Role.TOWNSHIP_PH, Role.TOWNSHIP_MCH, Role.TOWNSHIP_DIRECTOR})
COUNTY = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_CDC, Role.COUNTY_MCH, Role.SYSADMIN})
CLASSIFIERS = frozenset({Role.COUNTY_CDC, Role.SYSADMIN})
PAGE = 50
PRINT_LIMIT = 2000


def _writes(user) -> bool:
    return user.is_superuser or user.role in WRITERS


def _village_filter(request) -> str | None:
    village = request.GET.get("village") or None
    if village and not OrgUnit.objects.for_user(request.user).filter(code=village, kind="village").exists():
        return None
    return village


def _series_filter(request) -> str | None:
    series = request.GET.get("vaccine") or None
    return series if series in lists.series_codes() else None


def _filters(request):
    tab = request.GET.get("tab") or rules.ALL_TAB
    if tab not in (*rules.TABS, "no_card"):
        tab = rules.ALL_TAB
    return tab, _village_filter(request), _series_filter(request)


def _clinics(user, resident):
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP).filter(
        Q(code=resident.village_id[:9]) | prefix_filter("code", scope_prefix(user) or "-"))


def _vaccinators(user, resident):
    return (User.objects.filter(Q(unit_id__in=[resident.village_id[:9], resident.village_id]) | Q(pk=user.pk),
                                is_active=True).order_by("full_name", "username"))


# --- Lists --------------------------------------------------------------------------------------

def _list_context(request, today: date, limit: int | None = None):
    tab, village, series = _filters(request)
    context = {"tab": tab, "village": village, "vaccine": series, "today": today,
               "month_end": rules.month_end(today), "tabs": _tab_names(),
               "villages": OrgUnit.objects.for_user(request.user).filter(kind="village"),
               "series": [(code, series_name(code, today)) for code in lists.series_codes()]}
    if tab == "no_card":
        qs = lists.uncarded(request.user, today, village)
        if limit:
            people = list(qs[:limit])
            context["page"] = None
        else:
            context["page"] = page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
            people = list(page)
        for r in people:
            r.card_due_by = rules.card_due_date(r.birth_date, r.registration, r.residence_since)
            r.late = r.card_due_by < today
        context["people"] = people
        return context
    children = lists.children(request.user, tab, today, village, series)
    if limit:
        ids = [row["card_id"] for row in children[:limit]]
        context["page"] = None
    else:
        context["page"] = page = Paginator(children, PAGE).get_page(request.GET.get("page"))
        ids = [row["card_id"] for row in page]
    context["rows"] = lists.rows_for(request.user, tab, today, ids, series)
    return context


def _tab_names():
    return [(rules.ALL_TAB, _("All to vaccinate")), (rules.DUE_TAB, _("Doses due this month")),
            (rules.OVERDUE_TAB, _("Past due")), (rules.CATCH_UP_TAB, _("Catch-up")),
            ("no_card", _("No card yet"))]


@scoped_view
def due(request):
    """The clinic's list of children to vaccinate this month (NORMS §3.1, §3.2)."""
    today = timezone.localdate()
    context = _list_context(request, today)
    context["query"] = request.GET.copy()
    context["query"].pop("page", None)
    audit(request, Action.VIEW, object_type="immunization_due",
          detail={"tab": context["tab"], "village": context["village"] or "", "vaccine": context["vaccine"] or ""})
    return render(request, "immunization/due.html", context)


@scoped_view
def due_print(request):
    today = timezone.localdate()
    context = _list_context(request, today, limit=PRINT_LIMIT)
    audit(request, Action.EXPORT, object_type="immunization_due", detail={"tab": context["tab"], "print": True})
    return render(request, "immunization/due_print.html", context)


@scoped_view
def due_export(request):
    from openpyxl import Workbook

    today = timezone.localdate()
    context = _list_context(request, today, limit=PRINT_LIMIT)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(_("Vaccinations"))
    count = 0
    if context["tab"] == "no_card":
        sheet.append([_("Village"), _("Name"), _("Sex"), _("Date of birth"), _("Card due by"), _("Phone"),
                      _("Address")])
        for r in context["people"]:
            sheet.append([r.village.name, r.name, r.get_sex_display(), r.birth_date, r.card_due_by, r.phone,
                          r.address])
            count += 1
    else:
        sheet.append([_("Village"), _("Name"), _("Sex"), _("Date of birth"), _("Card number"), _("Doses"),
                      _("Earliest date"), _("Phone"), _("Contact person"), _("Address")])
        for row in context["rows"]:
            r = row.card.resident
            doses = "；".join(f"{d.label} {d.earliest:%Y-%m-%d} {_status_label(d.status)}" for d in row.doses)
            sheet.append([row.card.village.name, r.name, r.get_sex_display(), r.birth_date, row.card.number, doses,
                          row.first, r.phone or r.contact_phone, r.contact_name, r.address])
            count += 1
    audit(request, Action.EXPORT, object_type="immunization_due", detail={"tab": context["tab"], "rows": count})
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="vaccinations-{today:%Y-%m}-{context["tab"]}.xlsx"'
    wb.save(response)
    return response


def _status_label(status: str) -> str:
    return {"due": _("due"), "not_yet": _("later this month"), "overdue": _("overdue"),
            "catch_up": _("catch-up"), "too_late": _("too late")}.get(status, status)


# --- The card -----------------------------------------------------------------------------------

@scoped_view
def issue_card(request, imm_child):
    """建卡 for a child without a card."""
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=imm_child)
    context = card_context(resident, request.user)
    form = CardForm(request.POST or None, resident=resident, clinics=_clinics(request.user, resident))
    if request.method == "POST" and context["can_have_card"]:
        if not _writes(request.user):
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                card = do_issue_card(request, resident, form.cleaned_data["date"], form.cleaned_data["clinic"],
                                     form.cleaned_data["number"])
                messages.success(request, _("Card issued. Now enter the doses already given."))
                return redirect("immunization:card", card.enrolment_id)
            except ImmunizationError as error:
                form.add_error(None, str(error))
    return render(request, "immunization/issue_card.html", {"form": form, "r": resident, "c": context})


@scoped_view
def card(request, imm_enrolment):
    """The child's card: doses given (with validity), doses due, and the form to record a dose."""
    e = get_object_or_404(Enrolment.objects.for_user(request.user).select_related("resident"),
                          pk=imm_enrolment, programme=PROGRAMME)
    resident = e.resident
    initial = {k: request.GET[k] for k in ("vaccine", "dose") if request.GET.get(k)}
    form = DoseForm(request.POST or None, initial=initial, resident=resident,
                    clinics=_clinics(request.user, resident), vaccinators=_vaccinators(request.user, resident))
    if not request.POST:
        form.fields["clinic"].initial = resident.village_id[:9]
        form.fields["vaccinator"].initial = request.user.pk
    if request.method == "POST":
        if not _writes(request.user):
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                dose = do_record_dose(request, e, form.cleaned_data)
                text = _("Saved: %(vaccine)s dose %(dose)d on %(date)s.") % {
                    "vaccine": vaccine_name(dose.vaccine), "dose": dose.dose, "date": dose.date.isoformat()}
                if dose.valid:
                    messages.success(request, text)
                else:
                    messages.warning(request, f"{text} {_('Not valid')}：{dose.validity_reason}")
                return redirect("immunization:card", e.pk)
            except ImmunizationError as error:
                form.add_error(None, str(error))
    audit(request, Action.VIEW, obj=e, resident_id=resident.pk, detail={"programme": PROGRAMME})
    return render(request, "immunization/card.html", {
        "form": form, "e": e, "r": resident, "c": card_context(resident, request.user),
        "writes": _writes(request.user)})


# --- Suspected adverse events -------------------------------------------------------------------

@scoped_view
def aefi_report(request, imm_dose):
    dose = get_object_or_404(DoseRecord.objects.for_user(request.user).select_related("resident"), pk=imm_dose)
    form = AefiForm(request.POST or None, dose=dose)
    if request.method == "POST":
        if not _writes(request.user):
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                aefi = do_report_aefi(request, dose, form.cleaned_data)
                messages.success(request, _("Suspected adverse event reported to the county CDC."))
                return redirect("immunization:aefi", aefi.pk)
            except ImmunizationError as error:
                form.add_error(None, str(error))
    return render(request, "immunization/aefi_form.html", {"form": form, "dose": dose, "r": dose.resident,
                                                            "vaccine": vaccine_name(dose.vaccine)})


@scoped_view(roles=COUNTY)
def aefi_list(request):
    """疑似预防接种异常反应 of the county, for the county CDC and county staff."""
    qs = AEFI.objects.for_user(request.user).select_related("resident", "village", "dose")
    township = request.GET.get("township") or ""
    if township and OrgUnit.objects.for_user(request.user).filter(code=township, kind="township").exists():
        qs = qs.under(township)
    else:
        township = ""
    classification = request.GET.get("classification") or ""
    if classification in AefiClass.values:
        qs = qs.filter(classification=classification)
    else:
        classification = ""
    start, end = request.GET.get("start") or "", request.GET.get("end") or ""
    try:
        if start:
            qs = qs.filter(reported_on__gte=date.fromisoformat(start))
        if end:
            qs = qs.filter(reported_on__lte=date.fromisoformat(end))
    except ValueError:
        start = end = ""
    page = Paginator(qs.order_by("-reported_on", "-id"), 100).get_page(request.GET.get("page"))
    for a in page:
        a.vaccine_label = vaccine_name(a.dose.vaccine)
    audit(request, Action.VIEW, object_type="aefi_list", detail={"township": township})
    return render(request, "immunization/aefi_list.html", {
        "page": page, "township": township, "classification": classification, "start": start, "end": end,
        "townships": OrgUnit.objects.for_user(request.user).filter(kind="township"),
        "classes": AefiClass.choices})


@scoped_view
def aefi(request, imm_aefi):
    a = get_object_or_404(AEFI.objects.for_user(request.user).select_related("resident", "dose", "reported_by",
                                                                             "classified_by"), pk=imm_aefi)
    can_classify = request.user.is_superuser or request.user.role in CLASSIFIERS
    form = ClassifyForm(request.POST or None, initial={
        "classification": a.classification, "outcome": a.outcome, "note": a.note,
        "date": a.classified_on or timezone.localdate()})
    if request.method == "POST":
        if not can_classify:
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                data = form.cleaned_data
                do_classify_aefi(request, a, data["classification"], data["outcome"], data["note"], data["date"])
                messages.success(request, _("Saved."))
                return redirect("immunization:aefi", a.pk)
            except ImmunizationError as error:
                form.add_error(None, str(error))
    audit(request, Action.VIEW, obj=a, resident_id=a.resident_id)
    return render(request, "immunization/aefi_detail.html", {
        "a": a, "form": form, "can_classify": can_classify, "vaccine": vaccine_name(a.dose.vaccine)})
