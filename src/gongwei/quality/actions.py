"""Writes of the data-quality room: each one transaction with its audit event (STYLE: Zulip)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.orgs.codes import VILLAGE

from . import checks
from .models import Finding
from .run import RunResult, run


class QualityError(Exception):
    pass


def may_explain(user, finding: Finding) -> bool:
    """A suspected fabrication (NORMS §7.7) is not cleared by the doctor whose records are in
    question: only staff above the village explain those."""
    if checks.get(finding.check_code).severity != checks.SUSPECT:
        return True
    return user.is_superuser or (user.unit is not None and user.unit.kind != VILLAGE)


@transaction.atomic
def do_explain(request, finding: Finding, note: str) -> None:
    note = note.strip()
    if not note:
        raise QualityError(_("Say why the record is right as it is."))
    if not may_explain(request.user, finding):
        raise QualityError(_("A suspected copy or impossible workload is explained by the township."))
    # Compare-and-swap: a finding resolved meanwhile (by a run or a colleague) stays as it is.
    updated = Finding.objects.filter(pk=finding.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=request.user, note=note[:500])
    if not updated:
        raise QualityError(_("This finding has already been resolved."))
    # The note may name people; the audit says what was done, the note stays on the finding.
    audit(request, Action.STATUS, obj=finding, resident_id=finding.resident_id,
          detail={"check": finding.check_code, "record": finding.record_key, "explained": True})


@transaction.atomic
def do_run(request, under: str) -> RunResult:
    result = run(under)
    audit(request, Action.UPDATE, object_type="quality_run", object_id=under, record_unit=under,
          detail={"opened": result.opened, "corrected": result.corrected, "open": result.still_open})
    return result
