"""Recompute the findings of a scope, and count what is still open.

A run compares what the checks see now with the stored findings of the same scope: new
hits open findings, open findings no longer seen are resolved as corrected, and explained
findings stay explained. One transaction, so a list never shows half a run.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import checks, config
from .models import Finding


@dataclass(frozen=True)
class RunResult:
    opened: int
    corrected: int
    still_open: int


@transaction.atomic
def run(under: str, thresholds: config.Thresholds | None = None, only: list[str] | None = None) -> RunResult:
    """Run the checks (all, or the codes in ``only``) over the units under the prefix ``under``."""
    t = thresholds or config.current()
    selected = [c for c in checks.CHECKS if only is None or c.code in only]
    now = timezone.now()
    hits = {(c.code, hit.identity): hit for c in selected for hit in c.run(under, t)}

    stored = (Finding.objects.under(under).filter(check_code__in=[c.code for c in selected])
              .filter(Q(resolved_at__isnull=True) | Q(resolved_by__isnull=False)))
    open_findings, explained = {}, set()
    for f in stored.only("id", "check_code", "record_key", "resolved_at", "village_id", "resident_id",
                         "record_id", "message"):
        if f.resolved_at is None:
            open_findings[(f.check_code, f.record_key)] = f
        else:
            explained.add((f.check_code, f.record_key))

    new = [Finding(check_code=code, record_key=key, village_id=h.unit, resident_id=h.resident_id,
                   record_type=h.record_type, record_id=h.record_id, message=h.message[:300], first_seen=now)
           for (code, key), h in hits.items() if (code, key) not in open_findings and (code, key) not in explained]
    # ignore_conflicts: a run of an overlapping scope may have opened it a moment ago.
    Finding.objects.bulk_create(new, ignore_conflicts=True)

    gone = [f.pk for k, f in open_findings.items() if k not in hits]
    Finding.objects.filter(pk__in=gone, resolved_at__isnull=True).update(resolved_at=now)

    # Still wrong, but perhaps differently (a new value, a transfer to another village).
    changed = []
    for k, f in open_findings.items():
        h = hits.get(k)
        if h and (f.village_id, f.resident_id, f.record_id, f.message) != (h.unit, h.resident_id, h.record_id, h.message[:300]):
            f.village_id, f.resident_id, f.record_id, f.message = h.unit, h.resident_id, h.record_id, h.message[:300]
            changed.append(f)
    Finding.objects.bulk_update(changed, ["village", "resident_id", "record_id", "message"])
    return RunResult(opened=len(new), corrected=len(gone), still_open=len(hits) - len(explained & hits.keys()))


def open_findings_count(village_code_prefix: str) -> int:
    """Open findings of the units under ``village_code_prefix`` (the reports room asks this
    before a village submits its monthly report). Counts what the last run stored; call
    :func:`run` first for figures as of now."""
    return Finding.objects.under(village_code_prefix).filter(resolved_at__isnull=True).count()
