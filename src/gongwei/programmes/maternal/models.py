"""Pregnant and postpartum women's health management (NORMS §2.3, MCH-SUPPLEMENT).

One pregnancy is one care.Enrolment (programme "maternal"); ``Pregnancy`` holds what the
booking (早孕建册) established: dating, gravida/para, the current risk colour. Each service is a
care.Visit with its own form row: ``AntenatalCheck`` (booking and antenatal checks),
``Delivery``, ``PostpartumCheck`` (home visit and 42-day check). ``RiskAssessment`` is the
five-colour grade at a visit; ``HighRiskCase`` the 专案管理 of an orange/red/purple woman;
``InfectionScreening`` the PMTCT results, readable by MCH staff only (see access.py);
``MaternalDeath`` a death during pregnancy or after, reviewed by the county MCH officer.

Every table carries the village code (scope) and a scoped manager, like the engine's.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.care.models import Enrolment, Visit
from gongwei.orgs.access import ScopedQuerySet
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident


class Colour(models.TextChoices):
    """The base colour of MCH-SUPPLEMENT [M1][M2]; purple is a separate flag (rules.RiskResult)."""

    GREEN = "green", _("Green (low risk)")
    YELLOW = "yellow", _("Yellow (general risk)")
    ORANGE = "orange", _("Orange (higher risk)")
    RED = "red", _("Red (high risk)")


class DatingBasis(models.TextChoices):
    LMP = "lmp", _("Last menstrual period")
    ULTRASOUND = "ultrasound", _("Ultrasound")


class Classification(models.TextChoices):
    NORMAL = "1", _("Normal")
    ABNORMAL = "2", _("Abnormal")


class FetalPosition(models.TextChoices):
    CEPHALIC = "1", _("Cephalic")
    BREECH = "2", _("Breech")
    TRANSVERSE = "3", _("Transverse")
    UNKNOWN = "9", _("Not determined")


class UrineProtein(models.TextChoices):
    NEGATIVE = "-", "−"
    TRACE = "±", "±"
    ONE = "+", "+"
    TWO = "++", "++"
    THREE = "+++", "+++"
    FOUR = "++++", "++++"


class Place(models.TextChoices):
    HOSPITAL = "1", _("Hospital")
    HOME = "2", _("Home")
    OTHER = "3", _("Other")


class Mode(models.TextChoices):
    SPONTANEOUS = "1", _("Spontaneous vaginal")
    CAESAREAN = "2", _("Caesarean section")
    ASSISTED = "3", _("Assisted vaginal (forceps, vacuum)")


class Outcome(models.TextChoices):
    LIVE_BIRTH = "1", _("Live birth")
    STILLBIRTH = "2", _("Stillbirth")
    MISCARRIAGE = "3", _("Miscarriage or termination")


# Outcomes that are a delivery (分娩); a miscarriage or termination is not (indicators.py).
BIRTH_OUTCOMES = (Outcome.LIVE_BIRTH, Outcome.STILLBIRTH)


class Finding(models.TextChoices):
    NORMAL = "1", _("Normal")
    ABNORMAL = "2", _("Abnormal")


class PostpartumKind(models.TextChoices):
    HOME_VISIT = "postpartum_visit", _("Postpartum home visit")
    CHECK42 = "check42", _("42-day postpartum check")


class Disposal(models.TextChoices):
    CLOSE = "1", _("Close the case")
    REFER = "2", _("Refer")


class TestResult(models.TextChoices):
    NOT_TESTED = "", _("Not tested")
    NEGATIVE = "1", _("Negative")
    POSITIVE = "2", _("Positive")
    PENDING = "3", _("Reactive, awaiting confirmation")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    REVIEWED = "reviewed", _("Reviewed")


class Avoidability(models.TextChoices):
    AVOIDABLE = "1", _("Avoidable")
    CONDITIONALLY = "2", _("Avoidable if conditions are created")
    UNAVOIDABLE = "3", _("Unavoidable")


def _village():
    return models.ForeignKey(OrgUnit, on_delete=models.PROTECT, db_column="village_code", related_name="+")


class Pregnancy(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="pregnancy")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="pregnancies")
    # The woman's village: follows her when she moves (receivers.py), like the enrolment.
    village = _village()
    booked_on = models.DateField(_("booking date (first antenatal check)"))
    lmp = models.DateField(_("last menstrual period"), null=True, blank=True)
    ultrasound_date = models.DateField(_("ultrasound date"), null=True, blank=True)
    ultrasound_ga_days = models.PositiveSmallIntegerField(_("gestational age by ultrasound (days)"), null=True, blank=True)
    dating_basis = models.CharField(_("dated by"), max_length=10, choices=DatingBasis.choices)
    effective_lmp = models.DateField(_("effective LMP"))
    edd = models.DateField(_("expected date of delivery"))
    early_booking = models.BooleanField(_("booked before 13 weeks"))
    gravida = models.PositiveSmallIntegerField(_("gravida"))
    para = models.PositiveSmallIntegerField(_("para"))
    handbook_number = models.CharField(_("maternal and child health handbook number"), max_length=30, blank=True)
    # The latest risk assessment (RiskAssessment); "" until the first one.
    colour = models.CharField(_("risk colour"), max_length=8, choices=Colour.choices, blank=True)
    purple = models.BooleanField(_("purple: infectious disease"), default=False)
    # Purple that comes from a PMTCT result only (HIV, syphilis, hepatitis B): shown to MCH staff only.
    pmtct_purple = models.BooleanField(default=False)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-booked_on", "-id"]
        indexes = [models.Index(fields=["village", "booked_on"])]
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")

    def __str__(self):
        return f"{self.resident_id}:{self.booked_on}"


class _VisitDetail(models.Model):
    """A visit's form row (OneToOne with care.Visit, declared by each table)."""

    village = _village()

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AntenatalCheck(_VisitDetail):
    """第1次产前检查 (with the booking) and 第2～5次产前随访 (NORMS §2.3)."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="antenatal")
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="antenatal_checks")
    ga_days = models.PositiveSmallIntegerField(_("gestational age (days)"))
    window = models.CharField(_("antenatal check window"), max_length=10, blank=True)  # rules.ANTENATAL_VISITS code, "" in a gap
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    bmi = models.DecimalField(_("BMI"), max_digits=4, decimal_places=1, null=True, blank=True)
    sbp = models.PositiveSmallIntegerField(_("systolic BP (mmHg)"), null=True, blank=True)
    dbp = models.PositiveSmallIntegerField(_("diastolic BP (mmHg)"), null=True, blank=True)
    fundal_height_cm = models.DecimalField(_("fundal height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    abdominal_circumference_cm = models.DecimalField(_("abdominal circumference (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    fetal_position = models.CharField(_("fetal position"), max_length=1, choices=FetalPosition.choices, blank=True)
    fetal_heart_rate = models.PositiveSmallIntegerField(_("fetal heart rate (/min)"), null=True, blank=True)
    haemoglobin = models.PositiveSmallIntegerField(_("haemoglobin (g/L)"), null=True, blank=True)
    urine_protein = models.CharField(_("urine protein"), max_length=4, choices=UrineProtein.choices, blank=True)
    complaints = models.CharField(_("complaints"), max_length=200, blank=True)
    classification = models.CharField(_("assessment"), max_length=1, choices=Classification.choices, default=Classification.NORMAL)
    abnormal_text = models.CharField(_("abnormal findings"), max_length=200, blank=True)
    guidance = models.JSONField(_("guidance"), default=list, blank=True)
    guidance_other = models.CharField(_("other guidance"), max_length=200, blank=True)
    referral = models.BooleanField(_("referred"), default=False)
    referral_reason = models.CharField(_("referral reason"), max_length=200, blank=True)
    referral_institution = models.CharField(_("receiving institution"), max_length=100, blank=True)
    next_visit_date = models.DateField(_("next visit date"), null=True, blank=True)


class Delivery(_VisitDetail):
    """分娩记录: how the pregnancy ended, from the delivery hospital's information."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="delivery")
    pregnancy = models.OneToOneField(Pregnancy, on_delete=models.PROTECT, related_name="delivery")
    date = models.DateField(_("delivery date"))
    ga_days = models.PositiveSmallIntegerField(_("gestational age at delivery (days)"))
    place = models.CharField(_("place of delivery"), max_length=1, choices=Place.choices)
    institution = models.CharField(_("delivery institution"), max_length=100, blank=True)
    mode = models.CharField(_("mode of delivery"), max_length=1, choices=Mode.choices, blank=True)
    outcome = models.CharField(_("pregnancy outcome"), max_length=1, choices=Outcome.choices)
    live_births = models.PositiveSmallIntegerField(_("live births"), default=0)
    stillbirths = models.PositiveSmallIntegerField(_("stillbirths"), default=0)
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["date"])]


class PostpartumCheck(_VisitDetail):
    """产后访视 (home visit within 7 days of discharge) and 产后42天健康检查."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="postpartum")
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="postpartum_checks")
    kind = models.CharField(max_length=20, choices=PostpartumKind.choices)
    # Days from discharge (or delivery, without a discharge date) to the visit: the
    # indicators count a home visit within POSTPARTUM_VISIT_COUNTED_DAYS of discharge.
    days_after_discharge = models.PositiveSmallIntegerField()
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    general = models.CharField(_("general health"), max_length=200, blank=True)
    mental = models.CharField(_("mental state"), max_length=200, blank=True)
    sbp = models.PositiveSmallIntegerField(_("systolic BP (mmHg)"), null=True, blank=True)
    dbp = models.PositiveSmallIntegerField(_("diastolic BP (mmHg)"), null=True, blank=True)
    breasts = models.CharField(_("breasts"), max_length=1, choices=Finding.choices, default=Finding.NORMAL)
    breasts_note = models.CharField(_("breasts: findings"), max_length=100, blank=True)
    lochia = models.CharField(_("lochia"), max_length=1, choices=Finding.choices, default=Finding.NORMAL)
    lochia_note = models.CharField(_("lochia: findings"), max_length=100, blank=True)
    uterus = models.CharField(_("uterus"), max_length=1, choices=Finding.choices, default=Finding.NORMAL)
    uterus_note = models.CharField(_("uterus: findings"), max_length=100, blank=True)
    wound = models.CharField(_("wound"), max_length=1, choices=Finding.choices, blank=True)
    wound_note = models.CharField(_("wound: findings"), max_length=100, blank=True)
    other = models.CharField(_("other"), max_length=200, blank=True)
    classification = models.CharField(_("assessment"), max_length=1, choices=Classification.choices, default=Classification.NORMAL)
    abnormal_text = models.CharField(_("abnormal findings"), max_length=200, blank=True)
    guidance = models.JSONField(_("guidance"), default=list, blank=True)
    guidance_other = models.CharField(_("other guidance"), max_length=200, blank=True)
    disposal = models.CharField(_("outcome of the check"), max_length=1, choices=Disposal.choices, blank=True)
    referral = models.BooleanField(_("referred"), default=False)
    referral_reason = models.CharField(_("referral reason"), max_length=200, blank=True)
    referral_institution = models.CharField(_("receiving institution"), max_length=100, blank=True)
    next_visit_date = models.DateField(_("next visit date"), null=True, blank=True)


class RiskAssessment(models.Model):
    """妊娠风险评估: the conditions found (codes of rules.DEFAULT_RISK_TABLE) and their colour."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="risk_assessments")
    village = _village()
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    date = models.DateField(_("date"))
    conditions = models.JSONField(_("risk conditions"), default=list, blank=True)
    colour = models.CharField(_("risk colour"), max_length=8, choices=Colour.choices)
    purple = models.BooleanField(default=False)          # from a non-PMTCT purple condition
    pmtct_purple = models.BooleanField(default=False)    # from HIV, syphilis or hepatitis B
    needs_case = models.BooleanField(default=False)      # orange, red or purple [M2]
    note = models.CharField(_("note"), max_length=200, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["pregnancy", "date"])]


class HighRiskCase(models.Model):
    """高危孕产妇专案管理 [M2]: a named person, a case plan, referral with escort, the hospital."""

    pregnancy = models.OneToOneField(Pregnancy, on_delete=models.PROTECT, related_name="high_risk_case")
    village = _village()
    opened_on = models.DateField(_("opened on"))
    # True while the only reason is a PMTCT result: then only MCH staff see that a case exists.
    pmtct_only = models.BooleanField(default=False)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("responsible person"))
    case_plan = models.TextField(_("case management plan"), blank=True)
    referral_escort = models.BooleanField(_("referral with escort"), default=False)
    escort_by = models.CharField(_("escorted by"), max_length=100, blank=True)
    designated_hospital = models.CharField(_("designated delivery hospital"), max_length=100, blank=True)
    reported_on = models.DateField(_("reported upward on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["village", "closed_on"])]

    @property
    def managed(self) -> bool:
        """A named responsible person and a case plan: what 高危孕产妇管理率 counts."""
        return self.responsible_id is not None and bool(self.case_plan.strip())


class InfectionScreening(models.Model):
    """预防艾滋病、梅毒和乙肝母婴传播 (PMTCT) screening. Read through access.screenings_for only."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="+")
    village = _village()
    hiv_result = models.CharField(_("HIV"), max_length=1, choices=TestResult.choices, blank=True)
    hiv_date = models.DateField(_("HIV test date"), null=True, blank=True)
    syphilis_result = models.CharField(_("syphilis"), max_length=1, choices=TestResult.choices, blank=True)
    syphilis_date = models.DateField(_("syphilis test date"), null=True, blank=True)
    hbsag_result = models.CharField(_("hepatitis B (HBsAg)"), max_length=1, choices=TestResult.choices, blank=True)
    hbsag_date = models.DateField(_("hepatitis B test date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]


class MaternalDeath(models.Model):
    """孕产妇死亡 (NORMS §5.5): reported, then reviewed by the county MCH officer."""

    pregnancy = models.OneToOneField(Pregnancy, on_delete=models.PROTECT, related_name="maternal_death")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="maternal_deaths")
    village = _village()
    date = models.DateField(_("date of death"))
    cause = models.CharField(_("cause of death"), max_length=200)
    # During pregnancy, or within 42 days of its end (the delivery record): computed.
    within_42_days = models.BooleanField(_("during pregnancy or within 42 days of its end"))
    days_after_end = models.PositiveSmallIntegerField(_("days after the end of pregnancy"), null=True, blank=True)
    accidental = models.BooleanField(_("accidental or incidental cause"), default=False)
    review_status = models.CharField(_("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    avoidability = models.CharField(_("avoidability"), max_length=1, choices=Avoidability.choices, blank=True)
    review_conclusion = models.TextField(_("review conclusion"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "date"])]

    @property
    def counted(self) -> bool:
        """Counted in 孕产妇死亡率: within 42 days and not accidental (NORMS §5.5)."""
        return self.within_42_days and not self.accidental
