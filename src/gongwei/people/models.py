"""The resident register, households, the health record and encounters (NORMS §2.1, §6.2).

Every row carries the code of the village it belongs to (``village_id`` is the 12-digit
code, see orgs.models.OrgUnit), so scope is one index range (ARCHITECTURE.md idea 1).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit

from . import codes


def _choices(table):
    return codes.choices(table)


class Status(models.TextChoices):
    """NORMS §2.1 termination: death, moving out, lost to follow-up; merged is ours."""

    ACTIVE = "active", _("On register")
    MOVED = "moved", _("Moved out")
    DEAD = "dead", _("Deceased")
    LOST = "lost", _("Lost to follow-up")
    MERGED = "merged", _("Merged into another record")


class Registration(models.TextChoices):
    """Household registration status (户籍 / 非户籍常住 / 流动人口); NORMS §2.1, §6.2 常住类型."""

    LOCAL = "1", _("Registered here (户籍)")
    RESIDENT = "2", _("Resident, registered elsewhere (非户籍常住)")
    FLOATING = "3", _("Floating population (流动人口)")


class ResidentQuerySet(ScopedQuerySet):
    def readable_by(self, user):
        """Residents in scope, plus those who moved out of it (NORMS §2.1: the sending
        unit keeps read access to what it recorded)."""
        from gongwei.orgs.access import prefix_filter, scope_prefix

        prefix = scope_prefix(user)
        if prefix is None:
            return self.none()
        moved_out = Transfer.objects.filter(prefix_filter("from_village_id", prefix)).values("resident_id")
        return self.filter(prefix_filter("village_id", prefix) | Q(pk__in=moved_out))


class Household(models.Model):
    """家庭档案: an address and its members; the head is a member."""

    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+", verbose_name=_("village"))
    number = models.CharField(_("household number"), max_length=20, unique=True)
    address = models.CharField(_("address"), max_length=200)
    head = models.ForeignKey("Resident", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("head of household"))
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return f"{self.number} {self.address}"


class Resident(models.Model):
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+", verbose_name=_("village of residence"))
    # NORMS §6.3, as the issue asks: <12-digit village code><5-digit serial>.
    record_number = models.CharField(_("record number"), max_length=17, unique=True)
    # Indexed for name-prefix search; on PostgreSQL Django adds the pattern-ops index LIKE needs.
    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Search keys (people.namekeys): lower-case pinyin and initials; alt_* the other
    # reading of a surname with two (单 shan/dan).
    name_pinyin = models.CharField(max_length=120, editable=False, db_index=True)
    name_initials = models.CharField(max_length=30, editable=False, db_index=True)
    alt_pinyin = models.CharField(max_length=120, editable=False, blank=True, db_index=True)
    alt_initials = models.CharField(max_length=30, editable=False, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=_choices(codes.SEX))
    birth_date = models.DateField(_("date of birth"))
    document_type = models.CharField(_("document type"), max_length=2,
                                     choices=_choices(codes.DOCUMENT_TYPE))
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True, unique=True)
    # The ID number reversed, so "the last digits" is a prefix and an index range.
    id_reversed = models.CharField(max_length=18, null=True, blank=True, editable=False, db_index=True)
    other_document_number = models.CharField(_("document number"), max_length=40, blank=True)
    no_id_reason = models.CharField(_("reason for no ID number"), max_length=100, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=_choices(codes.ETHNICITY),
                                 default="01")
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("current address"), max_length=200)
    registered_address = models.CharField(_("household registration address"), max_length=200,
                                          blank=True)
    registration = models.CharField(_("household registration"), max_length=1,
                                    choices=Registration.choices, default=Registration.LOCAL)
    residence_since = models.DateField(_("living here since"), null=True, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=2, blank=True,
                                      choices=_choices(codes.MARITAL_STATUS))
    education = models.CharField(_("education"), max_length=2, blank=True,
                                 choices=_choices(codes.EDUCATION))
    occupation = models.CharField(_("occupation"), max_length=2, blank=True,
                                  choices=_choices(codes.OCCUPATION))
    payment_methods = models.JSONField(_("medical payment"), default=list, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, db_index=True)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("responsible doctor"))
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="members", verbose_name=_("household"))
    relation_to_head = models.CharField(_("relation to head"), max_length=2, blank=True,
                                        choices=_choices(codes.RELATION_TO_HEAD))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    death_cause = models.CharField(_("cause of death"), max_length=200, blank=True)
    moved_to = models.CharField(_("moved to"), max_length=200, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    record_created = models.DateField(_("record created on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (ARCHITECTURE.md idea 5): an edit names the version it read.
    version = models.PositiveIntegerField(default=1)

    scope_field = "village_id"
    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["village", "name"]),
            models.Index(fields=["village", "status", "birth_date"]),
            models.Index(fields=["name", "birth_date"]),
        ]

    def __str__(self):
        return f"{self.name}（{self.record_number}）"

    @property
    def masked_id(self) -> str:
        from .idnumber import mask

        return mask(self.id_number or "")


class HealthRecord(models.Model):
    """个人基本信息表 of the national record (NORMS §6.2), beyond what Resident holds."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, primary_key=True,
                                    related_name="health_record")
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+")
    blood_type = models.CharField(_("ABO blood type"), max_length=2, blank=True,
                                  choices=_choices(codes.ABO_BLOOD_TYPE))
    rh_negative = models.CharField(_("RH negative"), max_length=2, blank=True,
                                   choices=_choices(codes.RH_NEGATIVE))
    drug_allergies = models.JSONField(_("drug allergies"), default=list, blank=True)
    drug_allergy_other = models.CharField(_("other allergy"), max_length=100, blank=True)
    exposures = models.JSONField(_("exposures"), default=list, blank=True)
    # [{"kind": "disease|operation|injury|transfusion", "name": "...", "date": "YYYY-MM"}]
    past_history = models.JSONField(_("past history"), default=list, blank=True)
    # {"father": [...], "mother": [...], "siblings": [...], "children": [...]}
    family_history = models.JSONField(_("family history"), default=dict, blank=True)
    genetic_disease = models.CharField(_("genetic disease"), max_length=100, blank=True)
    disabilities = models.JSONField(_("disabilities"), default=list, blank=True)
    kitchen_exhaust = models.CharField(_("kitchen exhaust"), max_length=2, blank=True,
                                       choices=_choices(codes.KITCHEN_EXHAUST))
    fuel = models.CharField(_("fuel"), max_length=2, blank=True, choices=_choices(codes.FUEL))
    drinking_water = models.CharField(_("drinking water"), max_length=2, blank=True,
                                      choices=_choices(codes.DRINKING_WATER))
    toilet = models.CharField(_("toilet"), max_length=2, blank=True, choices=_choices(codes.TOILET))
    livestock_pen = models.CharField(_("livestock pen"), max_length=2, blank=True,
                                     choices=_choices(codes.LIVESTOCK_PEN))
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()


class HouseholdMembership(models.Model):
    """One period of a resident in a household; moving between households keeps the past."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code",
                                related_name="+")
    relation_to_head = models.CharField(max_length=2, blank=True, choices=_choices(codes.RELATION_TO_HEAD))
    joined = models.DateField()
    left = models.DateField(null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["joined", "id"]
        constraints = [models.UniqueConstraint(fields=["resident"], condition=Q(left__isnull=True),
                                               name="one_current_household")]


class Transfer(models.Model):
    """迁入/迁出: a resident moved from one village to another."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="transfers")
    from_village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                     db_column="from_village_code")
    to_village = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                   db_column="to_village_code")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_field = "to_village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]


class Encounter(models.Model):
    """接诊记录表 (NORMS §2.1 part 4): an ordinary consultation, in SOAP form.

    ``unit`` is where it was recorded, which may differ from the resident's village after a
    transfer; the recording unit keeps reading it.
    """

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="encounters")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="unit_code", related_name="+")
    date = models.DateField(_("date"))
    subjective = models.TextField(_("subjective (complaint)"), blank=True)
    objective = models.TextField(_("objective (findings)"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]


class RecordSerial(models.Model):
    """The last 5-digit serial used in each village's record numbers (NORMS §6.3)."""

    village = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, primary_key=True,
                                   db_column="village_code", related_name="+")
    last = models.PositiveIntegerField(default=0)
