"""Pages of the maternal programme. Views parse, check access, call an action, render."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import worklists
from gongwei.care.actions import CareError
from gongwei.care.models import EnrolmentStatus, Visit
from gongwei.orgs.access import scoped_view
from gongwei.orgs.models import OrgUnit, Role, User
from gongwei.people.models import Resident

from . import access, actions, rules
from .forms import (BookingForm, CaseForm, CheckForm, DeathForm, DeliveryForm, PostpartumForm, ReviewForm, RiskForm,
                    ScreeningForm)
from .models import (AntenatalCheck, HighRiskCase, MaternalDeath, PostpartumCheck, PostpartumKind,
                     Pregnancy, RiskAssessment)
from .programme import CONFIG, KIND_LABELS, LABELS, MATERNAL, next_label


def _pregnancy(request, pk):
    return get_object_or_404(Pregnancy.objects.for_user(request.user).select_related(
        "resident", "enrolment", "village"), pk=pk)


def _previous_conditions(p: Pregnancy) -> list[str]:
    latest = RiskAssessment.objects.filter(pregnancy=p).order_by("-date", "-id").first()
    return list(latest.conditions) if latest else []


def _ga_label(p: Pregnancy, day) -> str:
    days = (day - p.effective_lmp).days
    return f"孕{days // 7}+{days % 7}周" if days >= 0 else ""


def _header(p: Pregnancy, user) -> dict:
    today = timezone.localdate()
    delivery = getattr(p, "delivery", None)
    return {"p": p, "r": p.resident, "delivery": delivery,
            "ga": "" if delivery else _ga_label(p, today), "purple": access.purple_for(p, user),
            "open": p.enrolment.status == EnrolmentStatus.MANAGED, "next": next_label(p.enrolment)}


def _form_page(request, p, title, forms_, extra=None):
    context = {**_header(p, request.user), "title": title, "forms": forms_, **(extra or {})}
    return render(request, "maternal/form.html", context)


# --- The pregnancy ------------------------------------------------------------------------

@scoped_view
def register(request, pk):
    """早孕建册 + 第1次产前检查 for a woman of the register."""
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=pk)
    booking = BookingForm(request.POST or None)
    check = CheckForm(request.POST or None, kind="booking")
    if request.method == "POST" and booking.is_valid() and check.is_valid():
        data = dict(check.cleaned_data)
        conditions = data.pop("risk_conditions", [])
        b = booking.cleaned_data
        try:
            p = actions.do_register_pregnancy(request, resident, {
                "booked_on": b["booked_on"], "lmp": b.get("lmp"), "ultrasound": b.get("ultrasound"),
                "gravida": b["gravida"], "para": b["para"], "handbook_number": b.get("handbook_number", "")},
                data, conditions)
            messages.success(request, _("Pregnancy registered. Expected delivery %(edd)s.") % {"edd": p.edd})
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            booking.add_error(None, str(error))
    return render(request, "maternal/register.html", {"r": resident, "booking": booking, "check": check})


@scoped_view
def pregnancy(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    user, today = request.user, timezone.localdate()
    header = _header(p, user)
    state = p.enrolment.state or {}
    done = set(state.get("done", []))
    delivery = header["delivery"]
    if delivery is None:
        windows = rules.antenatal_windows(p.effective_lmp, config=CONFIG)
    else:
        windows = rules.postpartum_windows(delivery.date, delivery.discharge_date, CONFIG)
    window_rows = [{"w": w, "done": w.code in done, "status": w.status(today)} for w in windows]
    checks = list(AntenatalCheck.objects.for_user(user).filter(pregnancy=p).select_related("visit", "visit__doctor")
                  .order_by("visit__date", "visit_id"))
    for c in checks:
        c.ga_label, c.window_label = f"孕{c.ga_days // 7}+{c.ga_days % 7}周", LABELS.get(c.window, "")
    postpartum = list(PostpartumCheck.objects.for_user(user).filter(pregnancy=p).select_related("visit")
                      .order_by("visit__date", "visit_id"))
    assessments = []
    pmtct_shown = False
    for a in RiskAssessment.objects.for_user(user).filter(pregnancy=p).select_related("assessed_by"):
        labels = access.condition_labels(a.conditions, user)
        pmtct_shown |= access.sees_pmtct(user) and access.shows_pmtct(a.conditions)
        assessments.append({"a": a, "labels": labels, "purple": access.purple_for(a, user)})
    case = getattr(p, "high_risk_case", None)
    case = case if access.case_visible(case, user) else None
    death = getattr(p, "maternal_death", None)
    visits = Visit.objects.for_user(user).filter(enrolment=p.enrolment).order_by("date", "id")
    audit(request, Action.VIEW, obj=p, resident_id=p.resident_id)
    if pmtct_shown or (header["purple"] and p.pmtct_purple):
        access.record_view(request, p, "risk_conditions")
    return render(request, "maternal/pregnancy.html", {
        **header, "windows": window_rows, "checks": checks, "postpartum": postpartum,
        "assessments": assessments, "case": case, "death": death,
        "visits": [{"v": v, "kind": KIND_LABELS.get(v.kind, v.kind)} for v in visits],
        "mch": access.sees_pmtct(user),
        "referrals": p.enrolment.referrals.filter(outcome_date__isnull=True)})


@scoped_view
def visit(request, maternal_enrolment):
    """The work list's "record follow-up": the form of the visit that is due next, at this URL
    (it posts back here), or the pregnancy page when nothing is due."""
    p = get_object_or_404(Pregnancy.objects.for_user(request.user).select_related("enrolment"),
                          enrolment_id=maternal_enrolment)
    code = (p.enrolment.state or {}).get("next")
    if p.enrolment.status != EnrolmentStatus.MANAGED or not code:
        return pregnancy(request, pregnancy=p.pk)
    if code in ("postpartum_visit", "check42"):
        return postpartum(request, pregnancy=p.pk, kind=code)
    if code == "delivery":
        return delivery(request, pregnancy=p.pk)
    return antenatal(request, pregnancy=p.pk)


@scoped_view
def antenatal(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    form = CheckForm(request.POST or None, kind="antenatal", previous=_previous_conditions(p))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day, conditions = data.pop("visit_date"), data.pop("risk_conditions", [])
        try:
            _visit, result = actions.do_record_antenatal(request, p, day, data, conditions)
            messages.success(request, _("Antenatal check saved. Next due %(due)s.") % {"due": result.next_due or "—"})
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return _form_page(request, p, _("Antenatal check"), [form])


@scoped_view
def delivery(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_delivery(request, p, form.cleaned_data)
            messages.success(request, _("Delivery recorded."))
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return _form_page(request, p, _("Delivery record"), [form])


@scoped_view
def postpartum(request, pregnancy, kind=PostpartumKind.HOME_VISIT):
    p = _pregnancy(request, pregnancy)
    form = PostpartumForm(request.POST or None, kind=kind, previous=_previous_conditions(p))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day, conditions = data.pop("visit_date"), data.pop("risk_conditions", [])
        try:
            actions.do_record_postpartum(request, p, kind, day, data, conditions)
            messages.success(request, _("Saved."))
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    title = _("42-day postpartum check") if kind == PostpartumKind.CHECK42 else _("Postpartum home visit")
    return _form_page(request, p, title, [form])


@scoped_view
def risk(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    form = RiskForm(request.POST or None, previous=_previous_conditions(p))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_assess_risk(request, p, form.cleaned_data["date"], form.cleaned_data["risk_conditions"],
                                   form.cleaned_data["note"])
            messages.success(request, _("Risk assessment saved."))
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return _form_page(request, p, _("Pregnancy risk assessment"), [form])


# --- MCH officers: PMTCT, high-risk cases ----------------------------------------------------

@scoped_view(roles=access.PMTCT_ROLES)
def pmtct(request, pregnancy):
    """PMTCT results of a pregnancy: MCH officers only; every display is audited."""
    p = _pregnancy(request, pregnancy)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_screening(request, p, form.cleaned_data)
            messages.success(request, _("Screening results saved."))
            return redirect("maternal:pmtct", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    screenings = list(access.screenings_for(request.user, p).select_related("recorded_by"))
    access.record_view(request, p, "screenings")
    return render(request, "maternal/pmtct.html", {**_header(p, request.user), "form": form,
                                                   "screenings": screenings})


def _case_staff(p: Pregnancy):
    """Who can be named responsible: staff of her village and township, and the county MCH officers."""
    village = p.village_id
    return (User.objects.filter(is_active=True).exclude(role="")
            .filter(Q(unit_id=village) | Q(unit_id=village[:9]) | Q(unit_id=village[:6], role=Role.COUNTY_MCH))
            .order_by("unit_id", "username"))


@scoped_view(roles=access.MCH_ROLES)
def case(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    c = get_object_or_404(HighRiskCase.objects.for_user(request.user), pregnancy=p)
    form = CaseForm(request.POST or None, instance=c, staff=_case_staff(p))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_case(request, c, form.cleaned_data)
            messages.success(request, _("Case management saved."))
            return redirect("maternal:high_risk")
        except CareError as error:
            form.add_error(None, str(error))
    assessments = [{"a": a, "labels": access.condition_labels(a.conditions, request.user)}
                   for a in RiskAssessment.objects.for_user(request.user).filter(pregnancy=p)[:5]]
    if any(access.shows_pmtct(x["a"].conditions) for x in assessments):
        access.record_view(request, p, "risk_conditions")
    return _form_page(request, p, _("High-risk case management"), [form],
                      {"case": c, "assessments": assessments})


@scoped_view(roles=access.MCH_ROLES)
def high_risk(request):
    """The MCH officer's list: open high-risk cases (orange, red, purple) until postpartum closure."""
    today = timezone.localdate()
    cases = (HighRiskCase.objects.for_user(request.user)
             .filter(closed_on__isnull=True, pregnancy__enrolment__status=EnrolmentStatus.MANAGED)
             .select_related("pregnancy", "pregnancy__resident", "pregnancy__enrolment", "pregnancy__delivery",
                             "responsible", "village").order_by("village_id", "opened_on", "id"))
    village = request.GET.get("village") or ""
    if village and OrgUnit.objects.for_user(request.user).filter(code=village).exists():
        cases = cases.under(village)
    unmanaged = request.GET.get("unmanaged") == "1"
    rows = []
    for c in cases:
        if unmanaged and c.managed:
            continue
        p = c.pregnancy
        d = getattr(p, "delivery", None)
        rows.append({"c": c, "p": p, "delivery": d, "ga": "" if d else _ga_label(p, today),
                     "purple": p.purple or p.pmtct_purple, "next": next_label(p.enrolment)})
    audit(request, Action.VIEW, object_type="high_risk_list", detail={"rows": len(rows)})
    access.note_purple_shown(request, [row["p"] for row in rows], "high_risk_list")
    return render(request, "maternal/high_risk.html", {
        "rows": rows, "today": today, "unmanaged": unmanaged, "village": village,
        "villages": OrgUnit.objects.for_user(request.user).filter(kind="village")})


# --- Work list ------------------------------------------------------------------------------

@scoped_view
def due(request):
    """Pregnant and postpartum women due or overdue (the care engine's stored due dates)."""
    today = timezone.localdate()
    village = request.GET.get("village") or None
    if village and not OrgUnit.objects.for_user(request.user).filter(code=village).exists():
        village = None
    month = worklists.this_month(today)
    due_rows = list(worklists.due(request.user, today, month.end, programme=MATERNAL, village=village)[:500])
    overdue_rows = list(worklists.overdue(request.user, today, programme=MATERNAL, village=village)[:500])
    ids = [e.pk for e in due_rows + overdue_rows]
    pregnancies = {p.enrolment_id: p for p in Pregnancy.objects.for_user(request.user).filter(enrolment_id__in=ids)}

    def rows(enrolments):
        out = []
        for e in enrolments:
            p = pregnancies.get(e.pk)
            purple = p is not None and access.purple_for(p, request.user)
            out.append({"e": e, "p": p, "next": next_label(e), "purple": purple,
                        "ga": _ga_label(p, today) if p and not (e.state or {}).get("delivery") else "",
                        "days_overdue": (today - e.window_end).days if e.window_end and e.window_end < today else 0})
        return out

    audit(request, Action.VIEW, object_type="worklist", detail={"programme": MATERNAL})
    access.note_purple_shown(request, pregnancies.values(), "due_list")
    return render(request, "maternal/due.html", {
        "today": today, "due": rows(due_rows), "overdue": rows(overdue_rows), "village": village or "",
        "villages": OrgUnit.objects.for_user(request.user).filter(kind="village"),
        "referrals": worklists.open_referrals(request.user, programme=MATERNAL, village=village)[:200]})


# --- Deaths ---------------------------------------------------------------------------------

@scoped_view
def death(request, pregnancy):
    p = _pregnancy(request, pregnancy)
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_register_maternal_death(request, p, d["date"], d["cause"], d["accidental"])
            messages.success(request, _("Maternal death registered."))
            return redirect("maternal:pregnancy", p.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return _form_page(request, p, _("Register a maternal death"), [form])


@scoped_view(roles=access.DEATH_LIST_ROLES)
def deaths(request):
    """Maternal deaths of the last three years, with their review status."""
    rows = (MaternalDeath.objects.for_user(request.user).select_related("resident", "village", "reviewed_by")
            .filter(date__gte=timezone.localdate() - timedelta(days=3 * 366)))
    audit(request, Action.VIEW, object_type="maternal_death_list")
    reviewer = request.user.is_superuser or request.user.role in access.REVIEW_ROLES
    return render(request, "maternal/deaths.html", {"rows": rows, "reviewer": reviewer})


@scoped_view(roles=access.REVIEW_ROLES)
def review(request, maternal_death):
    d = get_object_or_404(MaternalDeath.objects.for_user(request.user).select_related("pregnancy", "resident"),
                          pk=maternal_death)
    form = ReviewForm(request.POST or None, initial={"review_conclusion": d.review_conclusion,
                                                     "avoidability": d.avoidability, "accidental": d.accidental})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_review_maternal_death(request, d, form.cleaned_data)
            messages.success(request, _("Review saved."))
            return redirect("maternal:deaths")
        except CareError as error:
            form.add_error(None, str(error))
    return _form_page(request, d.pregnancy, _("Maternal death review"), [form], {"death": d})
