"""Child health management records (NORMS §2.2; MCH-SUPPLEMENT weak children; NORMS §5.5).

- ChildCheck: the form of one child visit (newborn home visit, full-month, 3 months … 6
  years), OneToOne with the care engine's Visit, with the WHO z-scores and findings computed
  when it was saved (rules.assess).
- WeakChildCase: one episode of 体弱儿专案管理 = one enrolment in the care programme
  "weak_child"; WeakChildFollowUp its follow-ups.
- ChildDeath: a death of a child 0–6 (儿童死亡报告) and its review by the county MCH.

Every table carries the village code of the child (scope), and the columns the indicators
count on (resident, date, visit code, age) so that no indicator joins through Visit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.care.models import Enrolment, Visit
from gongwei.orgs.access import ScopedQuerySet

from .schedule import VISITS

VISIT_CHOICES = [(v.code, v.name_zh) for v in VISITS]


class Place(models.TextChoices):
    HOME = "1", _("At home")
    CLINIC = "2", _("Health centre or clinic")
    KINDERGARTEN = "3", _("Kindergarten")


class Feeding(models.TextChoices):
    BREAST = "1", _("Exclusive breastfeeding")
    MIXED = "2", _("Mixed feeding")
    FORMULA = "3", _("Formula feeding")


class Delivery(models.TextChoices):
    VAGINAL = "1", _("Vaginal")
    VACUUM = "2", _("Vacuum extraction")
    FORCEPS = "3", _("Forceps")
    CAESAREAN = "4", _("Caesarean section")
    MULTIPLE = "5", _("Twins or multiple")
    BREECH = "6", _("Breech")


class Jaundice(models.TextChoices):
    NONE = "1", _("None")
    FACE = "2", _("Face")
    TRUNK = "3", _("Trunk")
    LIMBS = "4", _("Limbs")
    HANDS_FEET = "5", _("Hands and feet")


class Cord(models.TextChoices):
    ATTACHED = "1", _("Not yet fallen off")
    FALLEN = "2", _("Fallen off")
    OOZING = "3", _("Oozing")
    OTHER = "4", _("Other")


class Screen(models.TextChoices):
    PASS = "1", _("Passed")
    REFER = "2", _("Not passed")
    NOT_DONE = "3", _("Not done")


class Result(models.TextChoices):
    NORMAL = "1", _("Normal")
    ABNORMAL = "2", _("Abnormal")
    NOT_DONE = "3", _("Not done")


GUIDANCE = [("feeding", "科学喂养"), ("growth", "生长发育"), ("prevention", "疾病预防"),
            ("injury", "预防伤害"), ("oral", "口腔保健"), ("eye", "眼保健"), ("other", "其他")]


class ChildCheck(models.Model):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="child_check")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="child_checks")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    date = models.DateField(_("visit date"))
    visit_code = models.CharField(_("visit"), max_length=12, choices=VISIT_CHOICES)
    age_days = models.PositiveIntegerField(_("age in days"))
    age_months = models.PositiveSmallIntegerField(_("age in months"))
    # The visit's window as the schedule gave it (NORMS §2.2): on time or late, and the last
    # on-time day, which 儿童系统管理率 counts on (rules.required_visits).
    on_time = models.BooleanField(_("on time"), default=True)
    window_last_day = models.DateField()
    place = models.CharField(_("place"), max_length=1, choices=Place.choices, default=Place.CLINIC)

    # Newborn home visit (新生儿家庭访视记录表): birth history.
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    birth_weight_g = models.PositiveSmallIntegerField(_("birth weight (g)"), null=True, blank=True)
    birth_length_cm = models.DecimalField(_("birth length (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    gestational_weeks = models.PositiveSmallIntegerField(_("gestational weeks at birth"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=1, choices=Delivery.choices, blank=True)
    asphyxia = models.BooleanField(_("neonatal asphyxia"), default=False)
    birth_defect = models.CharField(_("birth defect"), max_length=100, blank=True)
    newborn_screening = models.CharField(_("newborn disease screening"), max_length=1, choices=Screen.choices, blank=True)
    hearing_screening = models.CharField(_("newborn hearing screening"), max_length=1, choices=Screen.choices, blank=True)
    bcg_given = models.BooleanField(_("BCG given"), null=True, blank=True)
    hepb1_given = models.BooleanField(_("HepB dose 1 given"), null=True, blank=True)
    jaundice = models.CharField(_("jaundice"), max_length=1, choices=Jaundice.choices, blank=True)
    cord = models.CharField(_("umbilical cord"), max_length=1, choices=Cord.choices, blank=True)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    feeds_per_day = models.PositiveSmallIntegerField(_("feeds per day"), null=True, blank=True)

    # Measurements (every visit).
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    length_height_cm = models.DecimalField(_("length/height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    measured_lying = models.BooleanField(_("measured lying (length)"), null=True, blank=True)
    head_circumference_cm = models.DecimalField(_("head circumference (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    oedema = models.BooleanField(_("bilateral pitting oedema"), default=False)
    feeding = models.CharField(_("feeding"), max_length=1, choices=Feeding.choices, blank=True)
    vitamin_d = models.BooleanField(_("vitamin D supplement"), null=True, blank=True)
    outdoor_hours = models.DecimalField(_("outdoor activity (hours a day)"), max_digits=3, decimal_places=1, null=True, blank=True)
    teeth = models.PositiveSmallIntegerField(_("teeth"), null=True, blank=True)
    caries = models.PositiveSmallIntegerField(_("decayed teeth"), null=True, blank=True)
    warning_signs = models.JSONField(_("development warning signs"), default=list, blank=True)
    hb_g_l = models.PositiveSmallIntegerField(_("haemoglobin (g/L)"), null=True, blank=True)
    eye_result = models.CharField(_("eye check"), max_length=1, choices=Result.choices, blank=True)
    visual_acuity_left = models.DecimalField(_("visual acuity, left"), max_digits=3, decimal_places=1, null=True, blank=True)
    visual_acuity_right = models.DecimalField(_("visual acuity, right"), max_digits=3, decimal_places=1, null=True, blank=True)
    hearing_result = models.CharField(_("hearing"), max_length=1, choices=Screen.choices, blank=True)
    rickets = models.BooleanField(_("vitamin D deficiency rickets"), default=False)
    rickets_signs = models.CharField(_("rickets signs"), max_length=100, blank=True)
    illness = models.CharField(_("illness since the last visit"), max_length=100, blank=True)
    other_findings = models.CharField(_("other findings"), max_length=200, blank=True)
    guidance = models.JSONField(_("guidance"), default=list, blank=True)
    refer = models.BooleanField(_("referred"), default=False)
    referral_reason = models.CharField(_("referral reason"), max_length=200, blank=True)
    referral_institution = models.CharField(_("receiving institution"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Computed when saved (rules.assess): WHO 2006 z-scores, findings, weak-child conditions.
    waz = models.DecimalField(_("weight-for-age z"), max_digits=5, decimal_places=2, null=True, blank=True)
    lhaz = models.DecimalField(_("length/height-for-age z"), max_digits=5, decimal_places=2, null=True, blank=True)
    whz = models.DecimalField(_("weight-for-length/height z"), max_digits=5, decimal_places=2, null=True, blank=True)
    bmiz = models.DecimalField(_("BMI-for-age z"), max_digits=5, decimal_places=2, null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    z_notes = models.JSONField(default=list, blank=True)
    conditions = models.JSONField(_("weak-child conditions"), default=list, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "visit_id"]
        indexes = [
            models.Index(fields=["resident", "date"]),
            models.Index(fields=["village", "date"]),
            models.Index(fields=["resident", "window_last_day"]),
        ]
        verbose_name = _("child health check")


class WeakChildCase(models.Model):
    """体弱儿专案: one episode, i.e. one enrolment in the care programme "weak_child".

    Open while the enrolment is managed; the enrolment's closed_on/close_reason say how it
    ended (3 normal follow-ups, 7th birthday, death, moved…), so closing it anywhere (the
    engine's close page, a death) closes the case.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="weak_case")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="weak_cases")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    opened_on = models.DateField(_("opened on"))
    source_check = models.ForeignKey(ChildCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # [{"code", "label", "severity"}] found at the opening assessment
    conditions = models.JSONField(_("conditions"), default=list)
    # The opening assessment's weight: the first point of "no weight gain" (schedule.referral).
    opening_weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("weak child case")

    @property
    def is_open(self) -> bool:
        return self.enrolment.status == "managed"


class WeakChildFollowUp(models.Model):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="weak_followup")
    case = models.ForeignKey(WeakChildCase, on_delete=models.PROTECT, related_name="followups")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    date = models.DateField(_("visit date"))
    age_months = models.PositiveSmallIntegerField(_("age in months"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    length_height_cm = models.DecimalField(_("length/height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    measured_lying = models.BooleanField(_("measured lying (length)"), null=True, blank=True)
    oedema = models.BooleanField(_("bilateral pitting oedema"), default=False)
    hb_g_l = models.PositiveSmallIntegerField(_("haemoglobin (g/L)"), null=True, blank=True)
    rickets = models.BooleanField(_("vitamin D deficiency rickets"), default=False)
    guidance = models.CharField(_("guidance and treatment"), max_length=200, blank=True)
    referral_institution = models.CharField(_("receiving institution"), max_length=100, blank=True)
    waz = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    lhaz = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    whz = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    bmiz = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    normal = models.BooleanField(_("normal"), default=False)
    referral_reasons = models.JSONField(default=list, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "visit_id"]


class DeathPlace(models.TextChoices):
    HOSPITAL = "1", _("Hospital")
    ON_THE_WAY = "2", _("On the way")
    HOME = "3", _("At home")
    OTHER = "4", _("Other")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    REVIEWED = "reviewed", _("Reviewed")


class ReviewConclusion(models.TextChoices):
    AVOIDABLE = "1", _("Avoidable")
    CONDITIONALLY = "2", _("Avoidable under better conditions")
    UNAVOIDABLE = "3", _("Unavoidable")


class ChildDeath(models.Model):
    """儿童死亡报告: a death under 7; infant and under-5 mortality count these (NORMS §5.5)."""

    resident = models.OneToOneField("people.Resident", on_delete=models.PROTECT, related_name="child_death")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    date = models.DateField(_("date of death"))
    age_days = models.PositiveIntegerField(_("age at death (days)"))
    age_months = models.PositiveSmallIntegerField(_("age at death (completed months)"))
    cause = models.CharField(_("cause of death"), max_length=200)
    place = models.CharField(_("place of death"), max_length=1, choices=DeathPlace.choices)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("reported on"))
    review_status = models.CharField(_("review"), max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PENDING)
    review_conclusion = models.CharField(_("review conclusion"), max_length=1, choices=ReviewConclusion.choices, blank=True)
    review_notes = models.TextField(_("review notes"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "date"])]
        verbose_name = _("child death")
