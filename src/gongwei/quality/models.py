"""A finding of a data-quality check, kept so it can be corrected or explained.

A finding is open until either its record is corrected (the next run no longer sees it and
resolves it with nobody's name: ``resolved_by`` empty) or someone explains why the record
is right after all (``resolved_by`` and ``note`` set). An explained finding is not raised
again for the same record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit


class Finding(models.Model):
    # Not "check": Model.check() is Django's system-check hook.
    check_code = models.CharField(_("check"), max_length=40)
    # The unit that owns the record and corrects it: a village for nearly everything, the
    # township for an encounter recorded at the township health centre.
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+", verbose_name=_("village"))
    # Plain numbers, like the audit log: a finding outlives a merge of its resident.
    resident_id = models.BigIntegerField(_("resident"), null=True, blank=True)
    record_type = models.CharField(_("record type"), max_length=20)
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)
    # What makes it the same finding from one run to the next (checks.Hit.identity).
    record_key = models.CharField(max_length=120)
    message = models.CharField(_("problem"), max_length=300)
    first_seen = models.DateTimeField(_("first seen"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("explained by"))
    note = models.CharField(_("explanation"), max_length=500, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["village_id", "check_code", "first_seen", "id"]
        constraints = [
            # Two runs at once cannot open the same finding twice.
            models.UniqueConstraint(fields=["check_code", "record_key"], condition=Q(resolved_at__isnull=True),
                                    name="quality_one_open_finding_per_record"),
        ]
        indexes = [
            # The list and the count before a report is submitted: open findings of a village.
            models.Index(fields=["village", "check_code"], condition=Q(resolved_at__isnull=True),
                         name="quality_open_idx"),
        ]
        verbose_name = _("data-quality finding")
        verbose_name_plural = _("data-quality findings")

    def __str__(self):
        return f"{self.check_code} {self.record_key}"

    @property
    def state(self) -> str:
        if self.resolved_at is None:
            return "open"
        return "explained" if self.resolved_by_id else "corrected"
