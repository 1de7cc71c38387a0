"""Forms of the child programme: validated at the edge, keeping what was typed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import GUIDANCE, ChildCheck, DeathPlace, ReviewConclusion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LYING_CHOICES = [("", _("Not recorded")), ("true", _("Lying (length)")), ("false", _("Standing (height)"))]
# (field, low, high): plausible values a typing error falls outside of.
RANGES = (("weight_kg", 0.5, 40), ("length_height_cm", 35, 140), ("head_circumference_cm", 25, 60),
          ("hb_g_l", 30, 200), ("temperature_c", 34, 42), ("birth_weight_g", 400, 6000),
          ("birth_length_cm", 25, 60), ("gestational_weeks", 22, 44), ("feeds_per_day", 1, 20),
          ("outdoor_hours", 0, 12), ("teeth", 0, 32), ("caries", 0, 20),
          ("visual_acuity_left", 3.0, 5.3), ("visual_acuity_right", 3.0, 5.3))


def _lying(value):
    return {"true": True, "false": False}.get(value)


def _check_ranges(form, data):
    for name, low, high in RANGES:
        value = data.get(name)
        if name in form.fields and value is not None and not low <= value <= high:
            form.add_error(name, _("Between %(low)s and %(high)s.") % {"low": low, "high": high})


def _check_date(form, data, field, birth_date):
    day = data.get(field)
    if day is None:
        return
    if day > timezone.localdate():
        form.add_error(field, _("The date is in the future."))
    elif day < birth_date:
        form.add_error(field, _("The date is before the date of birth."))


class EnrolForm(forms.Form):
    date = forms.DateField(label=_("enrolled on"), widget=DATE)
    discharge_date = forms.DateField(label=_("discharge date"), required=False, widget=DATE,
                                     help_text=_("From the birth facility; the newborn visit is due within 7 days after it."))

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident

    def clean(self):
        data = super().clean()
        _check_date(self, data, "date", self.resident.birth_date)
        _check_date(self, data, "discharge_date", self.resident.birth_date)
        return data


# The fields of each part of the check form (rules.form_parts decides which apply).
NEWBORN = ["discharge_date", "birth_weight_g", "birth_length_cm", "gestational_weeks", "delivery", "asphyxia",
           "birth_defect", "newborn_screening", "hearing_screening", "bcg_given", "hepb1_given", "jaundice",
           "cord", "temperature_c", "feeds_per_day"]
MEASURES = ["weight_kg", "length_height_cm", "measured_lying", "head_circumference_cm", "oedema"]
COMMON = ["place", "feeding", "vitamin_d", "outdoor_hours", "teeth", "caries", "warning_signs", "hb_g_l",
          "eye_result", "visual_acuity_left", "visual_acuity_right", "hearing_result", "rickets",
          "rickets_signs", "illness", "other_findings", "guidance", "refer", "referral_reason",
          "referral_institution", "note"]


class CheckForm(forms.ModelForm):
    """One child check. Which fields show depends on the visit (NORMS §2.2 and its tests)."""

    visit_code = forms.ChoiceField(label=_("visit"), widget=forms.HiddenInput)
    visit_date = forms.DateField(label=_("visit date"), widget=DATE)
    measured_lying = forms.TypedChoiceField(label=_("position"), choices=LYING_CHOICES, coerce=_lying,
                                            empty_value=None, required=False)
    guidance = forms.MultipleChoiceField(label=_("guidance"), choices=GUIDANCE, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    confirm_measurements = forms.BooleanField(
        label=_("The measurements are right although they are far outside the WHO range"), required=False)

    class Meta:
        model = ChildCheck
        fields = NEWBORN + MEASURES + COMMON
        widgets = {"discharge_date": DATE, "bcg_given": forms.NullBooleanSelect,
                   "hepb1_given": forms.NullBooleanSelect, "vitamin_d": forms.NullBooleanSelect}

    def __init__(self, *args, enrolment, code: str, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        self.resident = enrolment.resident
        self.code = code
        self.parts = parts = rules.form_parts(code)
        self.fields["visit_code"].choices = [(c, rules.VISIT_NAMES[c]) for c in codes]
        self.fields["visit_code"].initial = code
        self.fields["visit_date"].initial = timezone.localdate()
        month = rules.VISIT_MONTHS[code]
        drop = set()
        if not parts.newborn or code != "newborn":
            drop |= set(NEWBORN)
        if not parts.head_circumference:
            drop.add("head_circumference_cm")
        if not parts.hb:
            drop.add("hb_g_l")
        if not parts.hearing:
            drop.add("hearing_result")
        if not parts.visual_acuity:
            drop |= {"visual_acuity_left", "visual_acuity_right"}
        if not parts.warning_signs:
            drop.add("warning_signs")
        else:
            self.fields["warning_signs"] = forms.MultipleChoiceField(
                label=_("development warning signs present"), choices=parts.warning_signs, required=False,
                widget=forms.CheckboxSelectMultiple)
        if month is not None and month > 12:
            drop.add("feeding")
        if month is not None and month > 36:
            drop |= {"vitamin_d", "rickets_signs"}
        if month is None or month < 6:
            drop |= {"teeth", "caries"}
        if code == "newborn":
            drop |= {"outdoor_hours", "illness"}
        for name in drop:
            self.fields.pop(name, None)
        self.fields["measured_lying"].initial = "true" if month is None or month < 24 else "false"
        self.fields["weight_kg"].widget.attrs["autofocus"] = True
        for name in ("weight_kg", "length_height_cm", "head_circumference_cm"):
            if name in self.fields:
                self.fields[name].widget.attrs["step"] = "0.01" if name == "weight_kg" else "0.1"

    def clean(self):
        data = super().clean()
        birth = self.resident.birth_date
        _check_date(self, data, "visit_date", birth)
        _check_date(self, data, "discharge_date", birth)
        _check_ranges(self, data)
        day, discharge = data.get("visit_date"), data.get("discharge_date")
        if day and discharge and discharge > day:
            self.add_error("discharge_date", _("The discharge date is after the visit."))
        if data.get("refer") and not data.get("referral_reason"):
            self.add_error("referral_reason", _("Give the reason for the referral."))
        if day and not self.errors and not data.get("confirm_measurements"):
            # WHO plausibility limits (growth.FLAG_LIMITS): usually a typing error.
            assessment = rules.assess(self.resident.sex, birth, day, weight_kg=data.get("weight_kg"),
                                      length_height_cm=data.get("length_height_cm"),
                                      measured_lying=data.get("measured_lying"), oedema=bool(data.get("oedema")))
            if assessment.z is not None and assessment.z.flagged:
                field = "length_height_cm" if "lhaz" in assessment.z.flagged and "waz" not in assessment.z.flagged else "weight_kg"
                self.add_error(field, _("This is far outside the WHO range for the age (z %(z)s): check the "
                                        "measurement, or tick the confirmation below.")
                               % {"z": ", ".join(f"{getattr(assessment.z, k):+.1f}" for k in assessment.z.flagged)})
        return data

    def facts(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("visit_date", "confirm_measurements")}
        for name in ("warning_signs", "guidance"):
            data.setdefault(name, [])
        return data


class WeakFollowUpForm(forms.Form):
    visit_date = forms.DateField(label=_("visit date"), widget=DATE)
    weight_kg = forms.DecimalField(label=_("weight (kg)"), max_digits=5, decimal_places=2, required=False)
    length_height_cm = forms.DecimalField(label=_("length/height (cm)"), max_digits=4, decimal_places=1, required=False)
    measured_lying = forms.TypedChoiceField(label=_("position"), choices=LYING_CHOICES, coerce=_lying,
                                            empty_value=None, required=False)
    oedema = forms.BooleanField(label=_("bilateral pitting oedema"), required=False)
    hb_g_l = forms.IntegerField(label=_("haemoglobin (g/L)"), required=False)
    rickets = forms.BooleanField(label=_("vitamin D deficiency rickets"), required=False)
    guidance = forms.CharField(label=_("guidance and treatment"), max_length=200, required=False)
    refer = forms.BooleanField(label=_("refer"), required=False)
    referral_reason = forms.CharField(label=_("referral reason"), max_length=200, required=False)
    referral_institution = forms.CharField(label=_("receiving institution"), max_length=100, required=False)

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["visit_date"].initial = timezone.localdate()
        self.fields["weight_kg"].widget.attrs.update({"autofocus": True, "step": "0.01"})

    def clean(self):
        data = super().clean()
        _check_date(self, data, "visit_date", self.resident.birth_date)
        _check_ranges(self, data)
        if data.get("weight_kg") is None and data.get("length_height_cm") is None and data.get("hb_g_l") is None:
            self.add_error("weight_kg", _("Enter at least the weight, the length/height or the haemoglobin."))
        if data.get("refer") and not data.get("referral_reason"):
            self.add_error("referral_reason", _("Give the reason for the referral."))
        return data


class DeathForm(forms.Form):
    date = forms.DateField(label=_("date of death"), widget=DATE)
    cause = forms.CharField(label=_("cause of death"), max_length=200)
    place = forms.ChoiceField(label=_("place of death"), choices=DeathPlace.choices)

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident

    def clean(self):
        data = super().clean()
        _check_date(self, data, "date", self.resident.birth_date)
        return data


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("review conclusion"), choices=ReviewConclusion.choices)
    notes = forms.CharField(label=_("review notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    date = forms.DateField(label=_("reviewed on"), widget=DATE)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day
