"""Every write to a report: one ``do_*`` function each, one transaction, a history row and an
audit event (STYLE: Zulip). Views only parse, call these and show the errors.

The rules are enforced here, not in the page: who may act (rules.py), that approved and
accepted reports never change, and that two people cannot overwrite each other (each write
is a compare-and-swap on ``version`` and the expected status).

``now`` may be passed in so that lateness can be tested at exact boundaries.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care.periods import Period
from gongwei.orgs.models import OrgUnit

from . import fill, manual, periods, rules
from .forms_catalogue import VILLAGE, get_form
from .models import EDITABLE, Report, ReportEvent, Status


class ReportError(Exception):
    pass


class NotAllowed(ReportError):
    pass


class Locked(ReportError):
    pass


class Conflict(ReportError):
    pass


class Invalid(ReportError):
    def __init__(self, errors: dict):
        super().__init__(_("Some values need correcting; nothing was saved."))
        self.errors = errors


def open_findings(code_prefix: str) -> int:
    """Open data-quality findings under a unit (from the last run of the checks)."""
    from gongwei.quality.run import open_findings_count

    return int(open_findings_count(code_prefix))


def _locked_error(report, expect=EDITABLE) -> ReportError:
    """Why a write found the report in another state than the one it expected."""
    if report.status in expect:
        return Conflict(_("Someone else changed this report in the meantime. "
                          "Reload it and check before trying again."))
    if report.locked:
        return Locked(_("This report has been approved or accepted and is locked; it can no longer be changed."))
    if report.status == Status.SUBMITTED:
        return Locked(_("This report has been submitted and waits for review; it cannot be changed now."))
    return ReportError(_("Only a submitted report can be reviewed."))


def _swap(report: Report, version: int | None, expect: tuple, **changes) -> Report:
    """Write ``changes`` only if nobody changed the report since ``version`` was read."""
    version = report.version if version is None else int(version)
    updated = Report.objects.filter(pk=report.pk, version=version, status__in=expect).update(
        version=F("version") + 1, **changes)
    report.refresh_from_db()
    if not updated:
        raise _locked_error(report, expect)
    return report


def _event(request, report, kind, before, at, reason="", detail=None, audit_action=Action.STATUS):
    detail = detail or {}
    ReportEvent.objects.create(report=report, unit_id=report.unit_id, at=at, user=request.user, kind=kind,
                               from_status=before, to_status=report.status, reason=reason, detail=detail)
    audit(request, audit_action, obj=report, detail={
        "form": report.form, "period": str(report.period_start), "event": kind,
        "from": before, "to": report.status, **({"reason": reason} if reason else {}), **detail})


def _check_editable(request, report):
    if not rules.may_prepare(request.user, get_form(report.form), report.unit_id):
        raise NotAllowed(_("Only the unit's own staff responsible for this form may change it."))
    if not report.editable:
        raise _locked_error(report)


def _snapshot(form, report, period: Period, refresh: bool, now) -> dict:
    if report.level == VILLAGE:
        data = fill.village_rows(form, report.unit_id, period, refresh=refresh)
    else:
        data = fill.township_rows(form, report.unit_id, period)
    return {**data, "filled_at": now.isoformat()}


@transaction.atomic
def do_fill(request, form_code: str, unit: OrgUnit, period: Period, *, refresh=False, now=None) -> Report:
    """Create the unit's report for the period if needed and fill it from the records."""
    now = now or timezone.now()
    form = get_form(form_code)
    level = rules.level_of(unit.code)
    if level not in form.levels or unit.kind != level:
        raise ReportError(_("This form is not reported by units of this kind."))
    if not rules.may_prepare(request.user, form, unit.code):
        raise NotAllowed(_("Only the unit's own staff responsible for this form may fill it."))
    report, created = Report.objects.get_or_create(
        form=form.code, unit=unit, period_start=period.start,
        defaults={"period_kind": period.kind, "period_end": period.end,
                  "deadline": periods.deadline(form, level, period)})
    _check_editable(request, report)
    prefill = {k: v for k, v in fill.monthly_sums(form, unit.code, period).items()
               if report.manual.get(k) in (None, "")}
    before = report.status
    _swap(report, None, EDITABLE, snapshot=_snapshot(form, report, period, refresh, now), filled_at=now,
          manual={**report.manual, **prefill})
    _event(request, report, ReportEvent.Kind.FILL, before, now,
           audit_action=Action.CREATE if created else Action.UPDATE)
    return report


@transaction.atomic
def do_save(request, report: Report, data, *, version=None, now=None) -> Report:
    """Save the manual rows of a draft (may be half-filled)."""
    now = now or timezone.now()
    _check_editable(request, report)
    values, errors = manual.parse(get_form(report.form), data, for_submission=False)
    if errors:
        raise Invalid(errors)
    before = report.status
    _swap(report, version, EDITABLE, manual=values)
    _event(request, report, ReportEvent.Kind.SAVE, before, now, audit_action=Action.UPDATE)
    return report


@transaction.atomic
def do_submit(request, report: Report, data=None, *, version=None, now=None) -> tuple[Report, int]:
    """Submit (or resubmit) the report; returns it with the count of open data-quality findings.

    Findings do not block submission (a month must be reported even when some records are
    in question); the count is shown and kept in the history.

    Lateness is judged at the first submission: a report sent back and resubmitted after the
    deadline was still on time, since the delay is the review's, not the unit's.
    """
    now = now or timezone.now()
    form = get_form(report.form)
    _check_editable(request, report)
    values, errors = manual.parse(form, report.manual if data is None else data, for_submission=True)
    if errors:
        raise Invalid(errors)
    snapshot = report.snapshot
    if not snapshot.get("rows") or report.level != VILLAGE:
        # A village submits what it saw when it filled; a township always re-adds its
        # villages, so a village approved since the last fill is not left out.
        snapshot = _snapshot(form, report, periods.of(report), False, now)
    first = report.first_submitted_at is None
    late = timezone.localdate(now) > report.deadline if first else report.late
    findings = open_findings(report.unit_id)
    before = report.status
    _swap(report, version, EDITABLE, status=Status.SUBMITTED, manual=values, snapshot=snapshot,
          submitted_at=now, submitted_by=request.user, late=late,
          first_submitted_at=now if first else report.first_submitted_at)
    detail = {"late": late, "open_findings": findings}
    if report.level != VILLAGE:
        detail["missing_villages"] = snapshot.get("villages", {}).get("missing", [])
    _event(request, report, ReportEvent.Kind.SUBMIT, before, now, detail=detail)
    return report, findings


@transaction.atomic
def do_return(request, report: Report, reason: str, *, version=None, now=None) -> Report:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not (rules.may_review(request.user, report) or rules.may_accept(request.user, report)):
        raise NotAllowed(_("Only the unit above may return this report."))
    if not reason:
        raise ReportError(_("Give the reason for returning the report."))
    return _review(request, report, version, now, Status.RETURNED, ReportEvent.Kind.RETURN, reason)


@transaction.atomic
def do_approve(request, report: Report, *, version=None, now=None) -> Report:
    """The township approves a village's report; it is locked from then on."""
    now = now or timezone.now()
    if not rules.may_review(request.user, report):
        raise NotAllowed(_("Only the township's officers may approve a village's report."))
    return _review(request, report, version, now, Status.APPROVED, ReportEvent.Kind.APPROVE)


@transaction.atomic
def do_accept(request, report: Report, *, version=None, now=None) -> Report:
    """The county accepts a township's report; it is locked from then on."""
    now = now or timezone.now()
    if not rules.may_accept(request.user, report):
        raise NotAllowed(_("Only the county's officers may accept a township's report."))
    return _review(request, report, version, now, Status.ACCEPTED, ReportEvent.Kind.ACCEPT)


def _review(request, report, version, now, status, kind, reason=""):
    if report.status != Status.SUBMITTED:
        raise _locked_error(report, (Status.SUBMITTED,))
    before = report.status
    changes = {"return_reason": reason} if status == Status.RETURNED else {}
    _swap(report, version, (Status.SUBMITTED,), status=status, reviewed_by=request.user, reviewed_at=now, **changes)
    _event(request, report, kind, before, now, reason=reason)
    return report
