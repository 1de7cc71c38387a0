"""The follow-up form of hypertension and type 2 diabetes (NORMS §2.5, §2.6).

One table for both, as the 2025 programme made chronic follow-up "一张表" (NORMS §0); the
fields a programme does not use stay empty.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongwei.care.models import Visit
from gongwei.orgs.access import ScopedQuerySet


class Mode(models.TextChoices):
    CLINIC = "1", _("Clinic")
    HOME = "2", _("Home")
    PHONE = "3", _("Phone")


class Level(models.TextChoices):
    GOOD = "1", _("Good")
    FAIR = "2", _("Fair")
    POOR = "3", _("Poor")


class SaltIntake(models.TextChoices):
    LIGHT = "1", _("Light")
    MEDIUM = "2", _("Medium")
    HEAVY = "3", _("Heavy")


class Adherence(models.TextChoices):
    REGULAR = "1", _("Regular")
    INTERMITTENT = "2", _("Intermittent")
    NONE = "3", _("Not taking")


class Hypoglycaemia(models.TextChoices):
    NONE = "1", _("None")
    OCCASIONAL = "2", _("Occasional")
    FREQUENT = "3", _("Frequent")


class ChronicFollowUp(models.Model):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, primary_key=True, related_name="chronic")
    mode = models.CharField(_("follow-up mode"), max_length=1, choices=Mode.choices, default=Mode.CLINIC)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    symptoms_other = models.CharField(_("other symptoms"), max_length=200, blank=True)
    emergency_signs = models.JSONField(_("emergency signs"), default=list, blank=True)
    sbp = models.PositiveSmallIntegerField(_("systolic BP (mmHg)"), null=True, blank=True)
    dbp = models.PositiveSmallIntegerField(_("diastolic BP (mmHg)"), null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    target_weight_kg = models.DecimalField(_("target weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True)
    bmi = models.DecimalField(_("BMI"), max_digits=4, decimal_places=1, null=True, blank=True)
    heart_rate = models.PositiveSmallIntegerField(_("heart rate (/min)"), null=True, blank=True)
    dorsalis_pedis = models.CharField(_("dorsalis pedis pulse"), max_length=20, blank=True)
    other_signs = models.CharField(_("other signs"), max_length=200, blank=True)
    cigarettes_per_day = models.PositiveSmallIntegerField(_("cigarettes per day"), null=True, blank=True)
    cigarettes_target = models.PositiveSmallIntegerField(_("target cigarettes per day"), null=True, blank=True)
    alcohol_liang_per_day = models.DecimalField(_("spirits per day (liang)"), max_digits=4, decimal_places=1, null=True, blank=True)
    alcohol_target = models.DecimalField(_("target spirits per day (liang)"), max_digits=4, decimal_places=1, null=True, blank=True)
    exercise_times_per_week = models.PositiveSmallIntegerField(_("exercise times per week"), null=True, blank=True)
    exercise_minutes = models.PositiveSmallIntegerField(_("minutes per exercise"), null=True, blank=True)
    salt_intake = models.CharField(_("salt intake"), max_length=1, choices=SaltIntake.choices, blank=True)
    salt_target = models.CharField(_("target salt intake"), max_length=1, choices=SaltIntake.choices, blank=True)
    staple_food_g = models.PositiveSmallIntegerField(_("staple food (g/day)"), null=True, blank=True)
    mental_adjustment = models.CharField(_("mental adjustment"), max_length=1, choices=Level.choices, blank=True)
    compliance = models.CharField(_("adherence to advice"), max_length=1, choices=Level.choices, blank=True)
    fpg = models.DecimalField(_("fasting glucose (mmol/L)"), max_digits=4, decimal_places=1, null=True, blank=True)
    hba1c = models.DecimalField(_("HbA1c (%)"), max_digits=4, decimal_places=1, null=True, blank=True)
    other_tests = models.CharField(_("other tests"), max_length=200, blank=True)
    medication_adherence = models.CharField(_("medication adherence"), max_length=1, choices=Adherence.choices, blank=True)
    adverse_reaction = models.BooleanField(_("adverse drug reaction"), default=False)
    adverse_reaction_text = models.CharField(_("adverse reaction"), max_length=200, blank=True)
    hard_to_control_adverse_reaction = models.BooleanField(_("adverse reaction hard to control"), default=False)
    new_or_worse_complication = models.BooleanField(_("new or worse complication"), default=False)
    pregnant_or_lactating = models.BooleanField(_("pregnant or lactating"), default=False)
    hypoglycaemia = models.CharField(_("hypoglycaemic reactions"), max_length=1, choices=Hypoglycaemia.choices, blank=True)
    # [{"name": "氨氯地平片", "dose": "5mg", "frequency": "每日1次"}]
    medicines = models.JSONField(_("medicines"), default=list, blank=True)
    insulin = models.CharField(_("insulin"), max_length=100, blank=True)
    referral_reason = models.CharField(_("referral reason"), max_length=200, blank=True)
    referral_institution = models.CharField(_("receiving institution"), max_length=100, blank=True)


class BloodPressureReading(models.Model):
    """首诊测血压 and rechecks of residents 35+ not (yet) managed (NORMS §2.5 screening)."""

    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="bp_readings")
    village = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="village_code", related_name="+")
    date = models.DateField(_("date"))
    sbp = models.PositiveSmallIntegerField(_("systolic BP (mmHg)"))
    dbp = models.PositiveSmallIntegerField(_("diastolic BP (mmHg)"))
    doctor = models.ForeignKey("orgs.User", on_delete=models.PROTECT, related_name="+")

    scope_field = "village_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]


class PrevalenceSetting(models.Model):
    """The prevalence a county uses to estimate its patients (NORMS §5.3: set locally)."""

    # NORMS §5.3 quotes local practice only: hypertension 25.2% of adults, diabetes 9.7%.
    # They are defaults for a county that has not set its own survey figure.
    DEFAULTS = {"htn": 0.252, "dm": 0.097}

    county = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, db_column="county_code", related_name="+")
    programme = models.CharField(_("programme"), max_length=20, choices=[("htn", "高血压"), ("dm", "2型糖尿病")])
    rate = models.DecimalField(_("prevalence among residents aged 35+"), max_digits=5, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "programme"], name="one_prevalence_per_county")]
        verbose_name = _("prevalence setting")
        verbose_name_plural = _("prevalence settings")

    @classmethod
    def rate_for(cls, programme: str, code: str) -> float:
        row = cls.objects.filter(programme=programme, county_id=code[:6]).first() if len(code) >= 6 else None
        if row is None:
            row = cls.objects.filter(programme=programme).first()
        return float(row.rate) if row else cls.DEFAULTS[programme]
