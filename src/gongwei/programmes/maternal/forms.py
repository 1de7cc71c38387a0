"""The maternal forms (NORMS §2.3 record forms), validated at the edge with clear messages."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access, rules
from .models import (AntenatalCheck, Avoidability, Classification, Delivery, Disposal, Finding, HighRiskCase, InfectionScreening,
                     Outcome, Place, PostpartumCheck)

# 保健指导 of the national forms, per visit.
GUIDANCE = {
    "booking": [("1", "生活方式"), ("2", "避免致畸因素和疾病对胚胎的不良影响"), ("3", "产前筛查宣传告知"),
                ("4", "营养与补充叶酸"), ("9", "其他")],
    "antenatal": [("1", "个人卫生"), ("2", "膳食"), ("3", "心理"), ("4", "运动"), ("5", "自我监测"),
                  ("6", "分娩准备"), ("7", "母乳喂养"), ("9", "其他")],
    "postpartum_visit": [("1", "个人卫生"), ("2", "心理"), ("3", "营养"), ("4", "母乳喂养"),
                         ("5", "新生儿护理与喂养"), ("9", "其他")],
    "check42": [("1", "心理保健"), ("2", "性保健与避孕"), ("3", "婴儿喂养"), ("4", "产妇营养"), ("9", "其他")],
}


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def risk_choices():
    """The conditions a doctor ticks, grouped by their minimum colour: not the ones derived from
    age and BMI, nor the PMTCT infections (set from the results by the MCH officer)."""
    groups = []
    for colour in rules.Colour:
        items = [(code, c.label) for code, c in rules.DEFAULT_RISK_TABLE.items()
                 if c.colour is colour and code not in access.DERIVED_CONDITIONS | access.PMTCT_CONDITIONS]
        if items:
            groups.append((rules.COLOUR_LABELS[colour], items))
    return groups


def _in_range(form, data, field, low, high):
    value = data.get(field)
    if value is not None and not low <= value <= high:
        form.add_error(field, _("Between %(low)s and %(high)s.") % {"low": low, "high": high})


def _not_future(form, data, *fields):
    today = timezone.localdate()
    for field in fields:
        if data.get(field) and data[field] > today:
            form.add_error(field, _("The date is in the future."))


def _referral(form, data, reason="referral_reason", institution="referral_institution"):
    if data.get("referral"):
        if not data.get(reason):
            form.add_error(reason, _("Give the reason for the referral."))
        if not data.get(institution):
            form.add_error(institution, _("Name the receiving institution."))


def _blood_pressure(form, data):
    sbp, dbp = data.get("sbp"), data.get("dbp")
    _in_range(form, data, "sbp", 60, 250)
    _in_range(form, data, "dbp", 30, 160)
    if (sbp is None) != (dbp is None):
        form.add_error("dbp" if sbp is not None else "sbp", _("Enter both systolic and diastolic pressure."))
    elif sbp is not None and dbp >= sbp:
        form.add_error("dbp", _("Diastolic pressure must be lower than systolic."))


class RiskMixin:
    """A "risk conditions" field, prefilled with the last assessment's hand-ticked conditions."""

    def add_risk_field(self, previous=()):
        choices = risk_choices()
        allowed = {code for _, items in choices for code, _ in items}
        self.fields["risk_conditions"] = forms.MultipleChoiceField(
            label=_("pregnancy risk conditions (none: green)"), required=False, choices=choices,
            widget=forms.CheckboxSelectMultiple,
            initial=[c for c in previous if c in allowed])


class BookingForm(forms.Form):
    """早孕建册: the dating and the obstetric history."""

    booked_on = forms.DateField(label=_("booking date (first antenatal check)"), widget=date_input())
    lmp = forms.DateField(label=_("last menstrual period"), required=False, widget=date_input())
    ultrasound_date = forms.DateField(label=_("ultrasound date"), required=False, widget=date_input())
    ultrasound_weeks = forms.IntegerField(label=_("gestational age by ultrasound: weeks"), required=False,
                                          min_value=4, max_value=44)
    ultrasound_days = forms.IntegerField(label=_("and days"), required=False, min_value=0, max_value=6)
    gravida = forms.IntegerField(label=_("gravida (this pregnancy included)"), min_value=1, max_value=20)
    para = forms.IntegerField(label=_("para (previous deliveries)"), min_value=0, max_value=15)
    handbook_number = forms.CharField(label=_("maternal and child health handbook number"), max_length=30,
                                      required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booked_on"].initial = timezone.localdate()
        self.fields["lmp"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        _not_future(self, data, "booked_on", "lmp", "ultrasound_date")
        lmp, day = data.get("lmp"), data.get("booked_on")
        scan, weeks = data.get("ultrasound_date"), data.get("ultrasound_weeks")
        if (scan is None) != (weeks is None):
            self.add_error("ultrasound_weeks" if scan else "ultrasound_date",
                           _("Give both the ultrasound date and the gestational age it measured."))
        elif scan is None and lmp is None and "lmp" not in self.errors:
            self.add_error("lmp", _("Give the last menstrual period, or an ultrasound dating."))
        if data.get("gravida") is not None and data.get("para") is not None and data["para"] >= data["gravida"]:
            self.add_error("para", _("Para counts earlier deliveries: it is lower than gravida."))
        if self.errors or day is None:
            return data
        us = rules.Ultrasound(scan, weeks * 7 + (data.get("ultrasound_days") or 0)) if scan else None
        data["ultrasound"] = us
        if lmp and lmp > day:
            self.add_error("lmp", _("The last menstrual period is after the booking date."))
            return data
        try:
            ga = rules.gestational_age(lmp, day, us)
        except ValueError:
            self.add_error("ultrasound_date", _("The ultrasound dating does not fit the booking date."))
            return data
        if ga.days > 42 * 7:
            self.add_error("lmp", _("That makes her %(weeks)d weeks pregnant at booking: check the date.")
                           % {"weeks": ga.weeks})
        return data


class CheckForm(RiskMixin, forms.ModelForm):
    """第1次产前检查 / 第2～5次产前随访: the measurements, assessment, guidance, referral."""

    visit_date = forms.DateField(label=_("visit date"), widget=date_input())

    class Meta:
        model = AntenatalCheck
        fields = ["weight_kg", "height_cm", "sbp", "dbp", "fundal_height_cm", "abdominal_circumference_cm",
                  "fetal_position", "fetal_heart_rate", "haemoglobin", "urine_protein", "complaints",
                  "classification", "abnormal_text", "guidance", "guidance_other", "referral", "referral_reason",
                  "referral_institution", "next_visit_date"]
        widgets = {"next_visit_date": date_input()}

    def __init__(self, *args, kind: str = "antenatal", previous=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["visit_date"].initial = timezone.localdate()
        self.fields["guidance"] = forms.MultipleChoiceField(label=_("guidance"), required=False,
                                                            choices=GUIDANCE[kind], widget=forms.CheckboxSelectMultiple)
        self.fields["classification"].widget = forms.RadioSelect(choices=Classification.choices)
        if kind == "booking":
            self.fields.pop("visit_date")   # the booking date of BookingForm
            for name in ("fundal_height_cm", "abdominal_circumference_cm", "fetal_position", "fetal_heart_rate"):
                self.fields.pop(name)
        else:
            self.fields.pop("height_cm")
            self.fields["weight_kg"].widget.attrs["autofocus"] = True
        self.add_risk_field(previous)

    def clean(self):
        data = super().clean()
        _not_future(self, data, "visit_date")
        _blood_pressure(self, data)
        for field, low, high in (("weight_kg", 30, 200), ("height_cm", 120, 200), ("fundal_height_cm", 5, 50),
                                 ("abdominal_circumference_cm", 50, 150), ("fetal_heart_rate", 60, 220),
                                 ("haemoglobin", 30, 200)):
            _in_range(self, data, field, low, high)
        if data.get("classification") == Classification.ABNORMAL and not data.get("abnormal_text"):
            self.add_error("abnormal_text", _("Describe what is abnormal."))
        _referral(self, data)
        day = data.get("visit_date")
        if day and data.get("next_visit_date") and data["next_visit_date"] <= day:
            self.add_error("next_visit_date", _("The next visit is after this one."))
        return data


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = Delivery
        fields = ["date", "place", "institution", "mode", "outcome", "live_births", "stillbirths", "discharge_date"]
        widgets = {"date": date_input(), "discharge_date": date_input(), "place": forms.RadioSelect,
                   "outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = Place.choices
        self.fields["outcome"].choices = Outcome.choices
        self.fields["date"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        _not_future(self, data, "date", "discharge_date")
        day, discharge = data.get("date"), data.get("discharge_date")
        if day and discharge and discharge < day:
            self.add_error("discharge_date", _("Discharge is on or after the delivery date."))
        elif day and discharge and discharge > day + timedelta(days=90):
            self.add_error("discharge_date", _("More than 90 days in hospital: check the date."))
        if data.get("place") in (Place.HOSPITAL, Place.OTHER) and not data.get("institution"):
            self.add_error("institution", _("Name the institution."))
        outcome, live, still = data.get("outcome"), data.get("live_births") or 0, data.get("stillbirths") or 0
        if outcome == Outcome.LIVE_BIRTH and live < 1:
            self.add_error("live_births", _("A live birth has at least one live-born baby."))
        if outcome == Outcome.STILLBIRTH and (live or still < 1):
            self.add_error("stillbirths", _("A stillbirth has no live-born baby and at least one stillborn."))
        if outcome == Outcome.MISCARRIAGE and (live or still):
            self.add_error("outcome", _("A miscarriage or termination has no births; choose the outcome again."))
        if outcome in (Outcome.LIVE_BIRTH, Outcome.STILLBIRTH) and not data.get("mode"):
            self.add_error("mode", _("Give the mode of delivery."))
        if live + still > 6:
            self.add_error("live_births", _("More than six babies: check the numbers."))
        return data


class PostpartumForm(RiskMixin, forms.ModelForm):
    """产后访视记录表 / 产后42天健康检查记录表."""

    visit_date = forms.DateField(label=_("visit date"), widget=date_input())

    class Meta:
        model = PostpartumCheck
        fields = ["temperature", "general", "mental", "sbp", "dbp", "breasts", "breasts_note", "lochia",
                  "lochia_note", "uterus", "uterus_note", "wound", "wound_note", "other", "classification",
                  "abnormal_text", "guidance", "guidance_other", "disposal", "referral", "referral_reason",
                  "referral_institution", "next_visit_date"]
        widgets = {"next_visit_date": date_input()}

    def __init__(self, *args, kind: str, previous=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["visit_date"].initial = timezone.localdate()
        self.fields["guidance"] = forms.MultipleChoiceField(label=_("guidance"), required=False,
                                                            choices=GUIDANCE[kind], widget=forms.CheckboxSelectMultiple)
        self.fields["classification"].widget = forms.RadioSelect(choices=Classification.choices)
        self.fields["wound"].choices = [("", _("No wound")), *Finding.choices]
        if kind == "check42":
            self.fields["disposal"].required = True
            self.fields["disposal"].widget = forms.RadioSelect(choices=Disposal.choices)
            self.fields["classification"].label = _("recovered")
            self.fields.pop("next_visit_date")
            self.fields.pop("temperature")
        else:
            self.fields.pop("disposal")
        self.fields["visit_date"].widget.attrs["autofocus"] = True
        self.add_risk_field(previous)

    def clean(self):
        data = super().clean()
        _not_future(self, data, "visit_date")
        _blood_pressure(self, data)
        _in_range(self, data, "temperature", 34, 43)
        for part in ("breasts", "lochia", "uterus", "wound"):
            if data.get(part) == Finding.ABNORMAL and not data.get(f"{part}_note"):
                self.add_error(f"{part}_note", _("Describe what is abnormal."))
        if data.get("classification") == Classification.ABNORMAL and not data.get("abnormal_text"):
            self.add_error("abnormal_text", _("Describe what is abnormal."))
        if data.get("disposal") == Disposal.REFER:
            data["referral"] = True
        _referral(self, data)
        day = data.get("visit_date")
        if day and data.get("next_visit_date") and data["next_visit_date"] <= day:
            self.add_error("next_visit_date", _("The next visit is after this one."))
        return data


class RiskForm(RiskMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=date_input())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, previous=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.add_risk_field(previous)

    def clean(self):
        data = super().clean()
        _not_future(self, data, "date")
        return data


class CaseForm(forms.ModelForm):
    class Meta:
        model = HighRiskCase
        fields = ["responsible", "case_plan", "referral_escort", "escort_by", "designated_hospital", "reported_on"]
        widgets = {"reported_on": date_input(), "case_plan": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"case_plan": _("The village doctor sees the plan: write no PMTCT test results here.")}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = staff
        self.fields["responsible"].required = True
        self.fields["case_plan"].required = True

    def clean(self):
        data = super().clean()
        _not_future(self, data, "reported_on")
        if data.get("referral_escort") and not data.get("escort_by"):
            self.add_error("escort_by", _("Name who escorts her."))
        return data


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = InfectionScreening
        fields = ["hiv_result", "hiv_date", "syphilis_result", "syphilis_date", "hbsag_result", "hbsag_date", "note"]
        widgets = {"hiv_date": date_input(), "syphilis_date": date_input(), "hbsag_date": date_input()}

    def clean(self):
        data = super().clean()
        _not_future(self, data, "hiv_date", "syphilis_date", "hbsag_date")
        given = 0
        for test in ("hiv", "syphilis", "hbsag"):
            result, day = data.get(f"{test}_result"), data.get(f"{test}_date")
            if result and not day:
                self.add_error(f"{test}_date", _("Give the date of the test."))
            if day and not result:
                self.add_error(f"{test}_result", _("Give the result of the test."))
            given += bool(result)
        if not given and not self.errors:
            self.add_error(None, _("Enter at least one result."))
        return data


class DeathForm(forms.Form):
    date = forms.DateField(label=_("date of death"), widget=date_input())
    cause = forms.CharField(label=_("cause of death"), max_length=200)
    accidental = forms.BooleanField(label=_("accidental or incidental cause (not counted in the maternal mortality ratio)"),
                                    required=False)

    def clean(self):
        data = super().clean()
        _not_future(self, data, "date")
        return data


class ReviewForm(forms.Form):
    review_conclusion = forms.CharField(label=_("review conclusion"), widget=forms.Textarea(attrs={"rows": 5}))
    avoidability = forms.ChoiceField(label=_("avoidability"), choices=[("", "—"), *Avoidability.choices],
                                     required=False)
    accidental = forms.BooleanField(label=_("accidental or incidental cause (not counted in the maternal mortality ratio)"),
                                    required=False)
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        _not_future(self, data, "reviewed_on")
        return data
