"""The shared care engine: enrolment in a programme, visits, referrals.

Every enrolment stores its next due date and the end of its window (ARCHITECTURE.md idea 2),
moved in the same transaction as the visit that changes them, so a due list is one index
range scan over managed enrolments of a village.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident


class EnrolmentStatus(models.TextChoices):
    MANAGED = "managed", _("Managed")
    TRANSFERRED = "transferred", _("Transferred out")
    LOST = "lost", _("Lost to follow-up")
    CLOSED = "closed", _("Closed")
    DIED = "died", _("Died")


class Enrolment(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="enrolments")
    programme = models.CharField(_("programme"), max_length=20)
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("responsible doctor"))
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.MANAGED)
    next_due = models.DateField(_("next due"), null=True, blank=True)
    window_end = models.DateField(_("due by"), null=True, blank=True)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    # Programme-specific running state the schedule rule needs (e.g. consecutive
    # uncontrolled visits); owned by the programme, opaque to the engine.
    state = models.JSONField(default=dict, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            # The due list: managed enrolments of a village by due date, nothing else.
            models.Index(fields=["village", "programme", "next_due"], name="care_due_idx",
                         condition=Q(status="managed")),
            models.Index(fields=["village", "programme", "window_end"], name="care_overdue_idx",
                         condition=Q(status="managed")),
            # The township's list over every programme: both dates answered from the index.
            models.Index(fields=["village", "next_due", "window_end"], name="care_due_any_idx",
                         condition=Q(status="managed")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["resident", "programme"], condition=Q(status="managed"),
                                    name="one_managed_enrolment_per_programme"),
        ]

    def __str__(self):
        return f"{self.resident_id}:{self.programme}"


class Visit(models.Model):
    """One service given under an enrolment; the programme's own table holds the form."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="visits")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="care_visits")
    programme = models.CharField(max_length=20)
    # Where it was recorded: after a transfer the recording unit keeps reading it.
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+")
    date = models.DateField(_("visit date"))
    kind = models.CharField(_("kind"), max_length=20, default="followup")
    face_to_face = models.BooleanField(_("face to face"), default=True)
    classification = models.CharField(_("classification"), max_length=4, blank=True)
    next_due = models.DateField(_("next due"), null=True, blank=True)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "programme", "date"]),
                   models.Index(fields=["enrolment", "date"]),
                   # "The last follow-up in the period" without a sort, from the index alone
                   # (PostgreSQL only; other databases skip an index with INCLUDE).
                   models.Index(fields=["enrolment", "-date", "-id"], name="care_visit_latest_idx",
                                include=["programme", "kind", "face_to_face", "classification"])]


class Referral(models.Model):
    """转诊: stays on the work list until its outcome is recorded."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="referrals")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+")
    date = models.DateField(_("referral date"))
    urgent = models.BooleanField(_("urgent"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    institution = models.CharField(_("receiving institution"), max_length=100)
    follow_up_by = models.DateField(_("follow up by"))
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["follow_up_by", "id"]
        indexes = [models.Index(fields=["village", "follow_up_by"], name="care_open_referral_idx",
                                condition=Q(outcome_date__isnull=True))]
