from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit

from . import periods
from .forms_catalogue import get_form


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted")


# The unit may change the report in these states only; in the others it waits for review
# (submitted) or is final (approved by the township, accepted by the county).
EDITABLE = (Status.DRAFT, Status.RETURNED)
LOCKED = (Status.APPROVED, Status.ACCEPTED)


class Report(models.Model):
    """One unit's report of one form for one period (报表), moving up the tree.

    ``snapshot`` holds the computed rows as they were filled (frozen once submitted);
    ``manual`` the values typed in. ``deadline`` is stored so "overdue" is an index range
    (partial index below) rather than a computation over every report.
    """

    form = models.CharField(_("form"), max_length=30)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="unit_code",
                             related_name="+", verbose_name=_("unit"))
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(default=dict, blank=True)
    manual = models.JSONField(default=dict, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("submitted by"))
    late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Optimistic lock: every change is a compare-and-swap on it (actions._swap).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "form", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["form", "unit", "period_start"],
                                               name="one_report_per_form_unit_period")]
        indexes = [
            models.Index(fields=["form", "period_start"]),
            # Only reports that can still become overdue.
            models.Index(fields=["deadline"], name="report_open_deadline",
                         condition=models.Q(status__in=["draft", "returned"])),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.form} {self.unit_id} {self.period_start:%Y-%m}"

    @property
    def form_def(self):
        return get_form(self.form)

    @property
    def period_label(self) -> str:
        return periods.label(periods.of(self))

    @property
    def level(self) -> str:
        return "village" if len(self.unit_id) == 12 else "township"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def locked(self) -> bool:
        return self.status in LOCKED

    def overdue_on(self, today) -> bool:
        return self.status in EDITABLE and today > self.deadline


class ReportEvent(models.Model):
    """The history of a report: who filled, submitted, returned (why), approved, accepted."""

    class Kind(models.TextChoices):
        FILL = "fill", _("filled from the records")
        SAVE = "save", _("saved")
        SUBMIT = "submit", _("submitted")
        RETURN = "return", _("returned")
        APPROVE = "approve", _("approved")
        ACCEPT = "accept", _("accepted")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="unit_code", related_name="+")
    at = models.DateTimeField(_("time"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("action"), max_length=8, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    scope_field = "unit_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
