from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import ChronicFollowUp

HTN_SYMPTOMS = [("1", "无症状"), ("2", "头痛头晕"), ("3", "恶心呕吐"), ("4", "眼花耳鸣"), ("5", "呼吸困难"),
                ("6", "心悸胸闷"), ("7", "鼻衄出血不止"), ("8", "四肢发麻"), ("9", "下肢水肿")]
DM_SYMPTOMS = [("1", "无症状"), ("2", "多饮"), ("3", "多食"), ("4", "多尿"), ("5", "视力模糊"), ("6", "感染"),
               ("7", "手脚麻木"), ("8", "下肢浮肿"), ("9", "体重明显下降")]

# The fields carried over from the last visit: what a doctor would otherwise retype.
CARRIED_OVER = ["mode", "height_cm", "target_weight_kg", "cigarettes_target", "alcohol_target",
                "salt_target", "medicines", "insulin", "cigarettes_per_day", "alcohol_liang_per_day",
                "exercise_times_per_week", "exercise_minutes", "salt_intake", "staple_food_g",
                "mental_adjustment", "compliance", "medication_adherence", "weight_kg"]


class MedicinesField(forms.CharField):
    """Medicines typed one per line: 名称 剂量 用法, e.g. "氨氯地平片 5mg 每日1次"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(" ".join(x for x in (m.get("name"), m.get("dose"), m.get("frequency")) if x) for m in value)
        return value

    def to_python(self, value):
        rows = []
        for line in (value or "").splitlines():
            parts = line.split()
            if parts:
                rows.append({"name": parts[0], "dose": parts[1] if len(parts) > 1 else "",
                             "frequency": " ".join(parts[2:])})
        return rows


class FollowUpForm(forms.ModelForm):
    visit_date = forms.DateField(label=_("visit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    medicines = MedicinesField(label=_("medicines (one per line: name dose frequency)"), required=False)

    class Meta:
        model = ChronicFollowUp
        exclude = ["visit", "bmi"]
        widgets = {"symptoms": forms.CheckboxSelectMultiple, "emergency_signs": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme: str, last: ChronicFollowUp | None = None, **kwargs):
        if last is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", {}).update({f: getattr(last, f) for f in CARRIED_OVER})
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["visit_date"].initial = timezone.localdate()
        symptoms = HTN_SYMPTOMS if programme == "htn" else DM_SYMPTOMS
        self.fields["symptoms"] = forms.MultipleChoiceField(label=_("symptoms"), required=False,
                                                            choices=symptoms, widget=forms.CheckboxSelectMultiple)
        signs = rules.HYPERTENSION_EMERGENCY_SIGNS if programme == "htn" else {**rules.HYPERTENSION_EMERGENCY_SIGNS, **rules.DIABETES_EMERGENCY_SIGNS}
        self.fields["emergency_signs"] = forms.MultipleChoiceField(
            label=_("emergency signs"), required=False, choices=list(signs.items()),
            widget=forms.CheckboxSelectMultiple)
        self.fields["sbp"].widget.attrs["autofocus"] = True
        if programme == "htn":
            for name in ("fpg", "hba1c", "staple_food_g", "hypoglycaemia", "insulin", "dorsalis_pedis"):
                self.fields.pop(name)

    def clean(self):
        data = super().clean()
        sbp, dbp = data.get("sbp"), data.get("dbp")
        for field, low, high in (("sbp", 60, 300), ("dbp", 30, 200), ("heart_rate", 20, 250)):
            value = data.get(field)
            if value is not None and not low <= value <= high:
                self.add_error(field, _("Between %(low)d and %(high)d.") % {"low": low, "high": high})
        if sbp is not None and dbp is not None and dbp >= sbp:
            self.add_error("dbp", _("Diastolic pressure must be lower than systolic."))
        if (sbp is None) != (dbp is None):
            self.add_error("dbp" if sbp is not None else "sbp", _("Enter both systolic and diastolic pressure."))
        fpg = data.get("fpg")
        if fpg is not None and not 1 <= fpg <= 40:
            self.add_error("fpg", _("Between %(low)d and %(high)d.") % {"low": 1, "high": 40})
        weight = data.get("weight_kg")
        if weight is not None and not 20 <= weight <= 250:
            self.add_error("weight_kg", _("Between %(low)d and %(high)d.") % {"low": 20, "high": 250})
        day = data.get("visit_date")
        if day and day > timezone.localdate():
            self.add_error("visit_date", _("The date is in the future."))
        return data
