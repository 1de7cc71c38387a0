"""Pages of the child programme. Each reaches rows only through ``for_user`` (404 outside scope)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import worklists
from gongwei.care.actions import CareError
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral
from gongwei.orgs.access import scoped_view
from gongwei.orgs.models import OrgUnit, Role
from gongwei.people.models import Resident, Status

from . import actions, rules
from .forms import CheckForm, DeathForm, EnrolForm, ReviewForm, WeakFollowUpForm
from .models import ChildCheck, ChildDeath, WeakChildCase, WeakChildFollowUp
from .panel import next_visit_for
from .programme import CHILD, SCHEDULE, WEAK, _day, episode
from .schedule import referral

REVIEW_ROLES = {Role.COUNTY_MCH, Role.SYSADMIN}


def _village_filter(request):
    village = request.GET.get("village") or None
    if village and not OrgUnit.objects.for_user(request.user).filter(code=village).exists():
        village = None
    return village


@scoped_view
def enrol(request, pk):
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=pk)
    today = timezone.localdate()
    eligible = resident.status == Status.ACTIVE and not rules.aged_out(resident.birth_date, today, SCHEDULE)
    form = EnrolForm(request.POST or None, resident=resident, initial={"date": today})
    if request.method == "POST" and eligible and form.is_valid():
        try:
            actions.do_enrol_child(request, resident, form.cleaned_data["date"],
                                   discharge_date=form.cleaned_data["discharge_date"], doctor=resident.doctor)
            messages.success(request, _("Enrolled in child health management."))
            return redirect("people:detail", resident.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return render(request, "child/enrol.html", {"form": form, "r": resident, "eligible": eligible})


def _recordable_codes(enrolment, done, today):
    """Visits not yet recorded whose window has opened, before the 7th birthday (a visit
    made on time may be entered after its window has passed)."""
    birth = enrolment.resident.birth_date
    state = enrolment.state or {}
    windows = rules.visit_windows(birth, _day(state.get("discharge")), SCHEDULE)
    end = rules.end_of_programme(birth, SCHEDULE)
    return [w.code for w in windows if w.code not in done and w.opens <= today and w.opens < end]


@scoped_view
def check(request, child_enrolment):
    e = get_object_or_404(Enrolment.objects.for_user(request.user).select_related("resident"),
                          pk=child_enrolment, programme=CHILD)
    today = timezone.localdate()
    done = actions.done_codes(e.resident)
    codes = _recordable_codes(e, done, today)
    current = next_visit_for(e, done, today) if e.status == EnrolmentStatus.MANAGED else None
    wanted = request.POST.get("visit_code") or request.GET.get("visit") or (current.code if current else "")
    code = wanted if wanted in codes else (current.code if current and current.code in codes else (codes[-1] if codes else ""))
    if e.status != EnrolmentStatus.MANAGED or not code:
        return render(request, "child/check.html", {"e": e, "form": None, "codes": codes, "done": done})
    form = CheckForm(request.POST or None, enrolment=e, code=code, codes=codes)
    if request.method == "POST" and form.is_valid():
        try:
            _visit, result, case = actions.do_record_check(request, e, form.cleaned_data["visit_date"], form.facts())
            messages.success(request, _("Check saved.") + (" " + _("Next due %(due)s.") % {"due": result.next_due}
                                                            if result.next_due else ""))
            if result.referral is not None:
                messages.warning(request, _("A referral was opened: %(reason)s") % {"reason": result.referral.reason})
            if case is not None:
                messages.warning(request, _("A weak-child case was opened."))
            return redirect("people:detail", e.resident_id)
        except CareError as error:
            form.add_error(None, str(error))
    window = rules.window_of(code, e.resident.birth_date, _day((e.state or {}).get("discharge")), SCHEDULE)
    return render(request, "child/check.html", {
        "e": e, "form": form, "code": code, "name": rules.VISIT_NAMES[code], "window": window,
        "codes": [(c, rules.VISIT_NAMES[c]) for c in codes], "parts": form.parts, "done": done})


@scoped_view
def check_detail(request, child_check):
    c = get_object_or_404(ChildCheck.objects.for_user(request.user).select_related("resident", "visit__doctor"),
                          pk=child_check)
    audit(request, Action.VIEW, obj=c, resident_id=c.resident_id)
    return render(request, "child/check_detail.html", {"c": c, "r": c.resident})


@scoped_view
def due(request):
    """Children due or overdue this month (NORMS §2.2), under 7 only, with the window status."""
    today = timezone.localdate()
    village = _village_filter(request)
    month = worklists.this_month(today)
    cutoff = rules.last_birth_date_aged_out(today, SCHEDULE)
    qs = (worklists.managed(request.user, CHILD, village).filter(next_due__lte=month.end,
                                                                resident__birth_date__gt=cutoff)
          .select_related("resident", "village").order_by("next_due", "resident__name"))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    rows = []
    for e in page:
        w = next_visit_for(e, (e.state or {}).get("done", ()), today)
        rows.append({"e": e, "window": w, "status": w.status(today) if w else ""})
    audit(request, Action.VIEW, object_type="child_due", detail={"village": village or ""})
    return render(request, "child/due.html", {"rows": rows, "page": page, "today": today, "village": village,
                                              "villages": OrgUnit.objects.for_user(request.user).filter(kind="village")})


# --- Weak children ---------------------------------------------------------------------------

@scoped_view
def weak_list(request):
    """体弱儿专案 of the user's area: for the township MCH officer and the village doctors."""
    today = timezone.localdate()
    village = _village_filter(request)
    status = request.GET.get("status", "open")
    condition = request.GET.get("condition", "")
    qs = WeakChildCase.objects.for_user(request.user).select_related("resident", "village", "enrolment")
    if village:
        qs = qs.under(village)
    if status == "open":
        qs = qs.filter(enrolment__status=EnrolmentStatus.MANAGED)
    elif status == "closed":
        qs = qs.exclude(enrolment__status=EnrolmentStatus.MANAGED)
    qs = qs.annotate(open_referral=Exists(Referral.objects.filter(enrolment=OuterRef("enrolment"),
                                                                  outcome_date__isnull=True)))
    rows = []
    for case in qs.order_by("enrolment__next_due", "-opened_on")[:1000]:
        codes = [c["code"] for c in case.conditions]
        if condition and condition not in codes:
            continue
        e = case.enrolment
        rows.append({"case": case, "overdue": bool(e.window_end and e.window_end < today),
                     "conditions": ", ".join(c["label"] for c in case.conditions)})
    audit(request, Action.VIEW, object_type="weak_child_list", detail={"status": status, "village": village or ""})
    return render(request, "child/weak_list.html", {
        "rows": rows, "status": status, "condition": condition, "village": village, "today": today,
        "villages": OrgUnit.objects.for_user(request.user).filter(kind="village"),
        "condition_choices": [("low_birth_weight", "低出生体重"), ("preterm", "早产"), ("malnutrition", "营养不良"),
                              ("anaemia", "贫血"), ("rickets", "佝偻病"), ("overweight", "超重"), ("obesity", "肥胖")]})


@scoped_view
def weak_case(request, weak_case):
    case = get_object_or_404(WeakChildCase.objects.for_user(request.user).select_related("resident", "enrolment"),
                             pk=weak_case)
    followups = list(WeakChildFollowUp.objects.filter(case=case).order_by("date", "visit_id"))
    ep = episode(case.enrolment.state or {})
    advice = referral(ep) if ep else None
    referrals = Referral.objects.for_user(request.user).filter(enrolment=case.enrolment).order_by("date")
    audit(request, Action.VIEW, obj=case, resident_id=case.resident_id)
    return render(request, "child/weak_case.html", {"case": case, "r": case.resident, "followups": followups,
                                                    "advice": advice, "referrals": referrals})


@scoped_view
def weak_followup(request, weak_enrolment):
    e = get_object_or_404(Enrolment.objects.for_user(request.user).select_related("resident"),
                          pk=weak_enrolment, programme=WEAK)
    case = get_object_or_404(WeakChildCase, enrolment=e)
    form = WeakFollowUpForm(request.POST or None, resident=e.resident)
    if e.status == EnrolmentStatus.MANAGED and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day = data.pop("visit_date")
        try:
            _visit, result = actions.do_record_weak_followup(request, e, day, data)
            messages.success(request, _("Follow-up saved."))
            if result.referral is not None:
                messages.warning(request, _("A referral was opened: %(reason)s") % {"reason": result.referral.reason})
            e.refresh_from_db()
            if e.status != EnrolmentStatus.MANAGED:
                messages.success(request, _("The case is closed: %(reason)s") % {"reason": e.close_reason})
            return redirect("child:weak_case", case.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return render(request, "child/weak_followup.html", {"form": form, "e": e, "case": case})


# --- Deaths ------------------------------------------------------------------------------------

@scoped_view
def death(request, pk):
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=pk)
    today = timezone.localdate()
    existing = ChildDeath.objects.filter(resident=resident).first()
    eligible = existing is None and resident.status in (Status.ACTIVE, Status.DEAD) and \
        resident.birth_date > rules.last_birth_date_aged_out(resident.status_date or today, SCHEDULE)
    initial = {"date": resident.status_date or today, "cause": resident.death_cause}
    form = DeathForm(request.POST or None, resident=resident, initial=initial)
    if request.method == "POST" and eligible and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_register_child_death(request, resident, d["date"], d["cause"], d["place"])
            messages.success(request, _("The child's death is reported."))
            return redirect("people:detail", resident.pk)
        except CareError as error:
            form.add_error(None, str(error))
    return render(request, "child/death.html", {"form": form, "r": resident, "eligible": eligible,
                                                "existing": existing})


@scoped_view
def deaths(request):
    """Child deaths of the area and their review; register deaths of children without a report."""
    today = timezone.localdate()
    qs = ChildDeath.objects.for_user(request.user).select_related("resident", "village")
    status = request.GET.get("status", "")
    if status in ("pending", "reviewed"):
        qs = qs.filter(review_status=status)
    since = today - timedelta(days=730)
    unreported = (Resident.objects.for_user(request.user)
                  .filter(status=Status.DEAD, status_date__gte=since,
                          birth_date__gt=rules.last_birth_date_aged_out(since, SCHEDULE))
                  .exclude(child_death__isnull=False).order_by("-status_date")[:200])
    unreported = [r for r in unreported if not rules.aged_out(r.birth_date, r.status_date, SCHEDULE)]
    audit(request, Action.VIEW, object_type="child_deaths", detail={"status": status})
    return render(request, "child/deaths.html", {"deaths": qs[:500], "status": status, "unreported": unreported,
                                                 "can_review": request.user.is_superuser or request.user.role in REVIEW_ROLES})


@scoped_view
def death_detail(request, child_death):
    d = get_object_or_404(ChildDeath.objects.for_user(request.user).select_related("resident", "village"),
                          pk=child_death)
    can_review = request.user.is_superuser or request.user.role in REVIEW_ROLES
    form = ReviewForm(request.POST or None, initial={"date": timezone.localdate(),
                                                     "conclusion": d.review_conclusion, "notes": d.review_notes})
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                actions.do_review_child_death(request, d, form.cleaned_data["conclusion"],
                                              form.cleaned_data["notes"], form.cleaned_data["date"])
                messages.success(request, _("Review saved."))
                return redirect("child:deaths")
            except CareError as error:
                form.add_error(None, str(error))
    audit(request, Action.VIEW, obj=d, resident_id=d.resident_id)
    return render(request, "child/death_detail.html", {"d": d, "r": d.resident, "form": form, "can_review": can_review})
