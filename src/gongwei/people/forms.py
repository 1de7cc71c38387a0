"""Forms of the register. Validation at the edge: every message says what and where, in the
user's language, and a form with an error gives back everything that was typed."""

import re
from datetime import date

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import in_scope
from gongwei.orgs.models import OrgUnit, Role, User

from . import codes, idnumber
from .models import HealthRecord, Resident, Status

ID_CARD = "01"  # codes.DOCUMENT_TYPE 居民身份证


def _message(error: idnumber.IdNumberError) -> str:
    return error.message_en if (get_language() or "").startswith("en") else error.message_zh


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def check_id_number(raw: str, *, sex: str | None = None, birth_date: date | None = None):
    """(normalized number, [(field, message)]) for an ID number typed on a form or the API."""
    try:
        info = idnumber.validate(raw, today=timezone.localdate())
    except idnumber.IdNumberError as error:
        return None, [("id_number", _message(error))]
    problems = [(e.part, _message(e)) for e in idnumber.agrees_with(info, sex=sex, birth_date=birth_date)]
    return info, problems


class ResidentForm(forms.ModelForm):
    class Meta:
        model = Resident
        fields = ["name", "sex", "birth_date", "document_type", "id_number",
                  "other_document_number", "no_id_reason", "ethnicity", "phone", "address",
                  "registered_address", "registration", "residence_since", "marital_status",
                  "education", "occupation", "payment_methods", "work_unit", "contact_name",
                  "contact_phone", "village", "doctor", "record_created"]
        widgets = {"birth_date": DateInput(), "residence_since": DateInput(),
                   "record_created": DateInput(), "phone": forms.TextInput(attrs={"type": "tel"}),
                   "contact_phone": forms.TextInput(attrs={"type": "tel"})}

    payment_methods = forms.MultipleChoiceField(
        label=_("medical payment"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.PAYMENT_METHOD))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["village"].queryset = OrgUnit.objects.for_user(user).filter(kind="village")
        self.fields["doctor"].queryset = User.objects.for_user(user).filter(role=Role.VILLAGE_DOCTOR)
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "maxlength": 20})
        self.fields["record_created"].required = False
        if user.unit and user.unit.kind == "village" and not self.instance.pk:
            self.fields["village"].initial = user.unit_id
            self.fields["doctor"].initial = user.pk
        if self.instance.pk:
            # A move to another village is a transfer (one audited action), not an edit.
            del self.fields["village"]
            self.fields["record_created"].disabled = True

    def clean_id_number(self):
        raw = (self.cleaned_data.get("id_number") or "").strip()
        if not raw:
            return None
        info, problems = check_id_number(raw)
        if info is None:
            raise forms.ValidationError(problems[0][1])
        return info.number

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").replace(" ", "").replace("-", "")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
            raise forms.ValidationError(_("A phone number has 7 to 12 digits."))
        return phone

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth is in the future."))
        return born

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        doc = data.get("document_type")
        if doc == ID_CARD and not number and "id_number" not in self.errors:
            self.add_error("id_number", _("Enter the ID number, or choose another document type."))
        if doc != ID_CARD and number:
            data["id_number"] = number = None
        if doc and doc != ID_CARD and not (data.get("other_document_number") or data.get("no_id_reason")):
            self.add_error("no_id_reason", _("Without an ID number, give the document number or the reason (e.g. newborn, foreigner)."))
        if number and data.get("sex") and data.get("birth_date"):
            _, problems = check_id_number(number, sex=data["sex"], birth_date=data["birth_date"])
            for field, message in problems:
                self.add_error(field, message)
        if number:
            self._check_not_registered(number)
        born, since = data.get("birth_date"), data.get("residence_since")
        if born and since and since < born:
            self.add_error("residence_since", _("Living here since a date before birth."))
        if data.get("registration") in ("2", "3") and not since:
            self.add_error("residence_since", _("For residents registered elsewhere, give the date they began living here."))
        return data

    def _check_not_registered(self, number: str) -> None:
        existing = (Resident.objects.filter(id_number=number).exclude(pk=self.instance.pk)
                    .exclude(status=Status.MERGED).first())
        if existing is None:
            return
        if in_scope(self.user, existing.village_id):
            url = reverse("people:detail", args=[existing.pk])
            message = format_html(_("This ID number is already registered: <a href=\"{}\">{}</a>."),
                                  url, str(existing))
        else:
            message = _("This ID number is already registered in another township's area. "
                        "Contact the township health centre there to transfer the record.")
        self.add_error("id_number", message)


PAST_KINDS = {"疾病": "disease", "手术": "operation", "外伤": "injury", "输血": "transfusion"}
RELATIVES = (("father", _("father")), ("mother", _("mother")), ("siblings", _("siblings")),
             ("children", _("children")))


class HealthRecordForm(forms.ModelForm):
    """个人基本信息表 beyond the register (NORMS §6.2): history, allergies, living conditions."""

    class Meta:
        model = HealthRecord
        fields = ["blood_type", "rh_negative", "drug_allergies", "drug_allergy_other",
                  "exposures", "genetic_disease", "disabilities", "kitchen_exhaust", "fuel",
                  "drinking_water", "toilet", "livestock_pen"]

    past_history_text = forms.CharField(
        label=_("past history (one per line: 疾病/手术/外伤/输血, name, YYYY-MM)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "疾病 高血压 2015-03"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in RELATIVES:
            self.fields[f"family_{key}"] = forms.CharField(
                label=_("family history: %(who)s") % {"who": label}, required=False, max_length=200)
        if self.instance.pk and not self.is_bound:
            self.initial["past_history_text"] = "\n".join(
                " ".join(x for x in (next((k for k, v in PAST_KINDS.items() if v == item.get("kind")), ""),
                                     item.get("name", ""), item.get("date", "")) if x)
                for item in self.instance.past_history)
            for key, _label in RELATIVES:
                self.initial[f"family_{key}"] = "、".join(self.instance.family_history.get(key, []))

    def clean_past_history_text(self):
        items, problems = [], []
        for number, line in enumerate((self.cleaned_data.get("past_history_text") or "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            kind = PAST_KINDS.get(parts[0])
            when = parts[-1] if len(parts) >= 3 else ""
            if kind is None or len(parts) < 3 or not re.fullmatch(r"\d{4}-\d{2}", when):
                problems.append(_("Line %(n)d: write the kind (疾病, 手术, 外伤 or 输血), the name and the year-month, e.g. 疾病 高血压 2015-03.") % {"n": number})
                continue
            items.append({"kind": kind, "name": " ".join(parts[1:-1]), "date": when})
        if problems:
            raise forms.ValidationError(problems)
        return items

    def clean(self):
        data = super().clean()
        data["past_history"] = data.pop("past_history_text", [])
        data["family_history"] = {
            key: [d for d in re.split(r"[、,，;；\s]+", data.pop(f"family_{key}", "") or "") if d]
            for key, _label in RELATIVES}
        return data

    drug_allergies = forms.MultipleChoiceField(
        label=_("drug allergies"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.DRUG_ALLERGY))
    exposures = forms.MultipleChoiceField(
        label=_("exposures"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.EXPOSURE))
    disabilities = forms.MultipleChoiceField(
        label=_("disabilities"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.choices(codes.DISABILITY))


class TransferForm(forms.Form):
    to_village = forms.ModelChoiceField(label=_("Move to village"), queryset=OrgUnit.objects.none())
    date = forms.DateField(label=_("date"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any village of the county: the receiving township sees the resident afterwards.
        self.fields["to_village"].queryset = OrgUnit.objects.filter(kind="village", active=True)


class DeathForm(forms.Form):
    date = forms.DateField(label=_("date of death"), widget=DateInput())
    cause = forms.CharField(label=_("cause of death"), max_length=200)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[
        (Status.MOVED, Status.MOVED.label), (Status.LOST, Status.LOST.label),
        (Status.ACTIVE, Status.ACTIVE.label)])
    date = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("moved to / note"), required=False, max_length=200)


class MergeForm(forms.Form):
    reason = forms.CharField(label=_("Why are these the same person?"), max_length=200)


class EncounterForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    subjective = forms.CharField(label=_("subjective (complaint)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    objective = forms.CharField(label=_("objective (findings)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    assessment = forms.CharField(label=_("assessment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    plan = forms.CharField(label=_("plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day


class MoveHouseholdForm(forms.Form):
    household = forms.CharField(label=_("household number"), max_length=20)
    relation = forms.ChoiceField(label=_("relation to head"), choices=codes.choices(codes.RELATION_TO_HEAD))
    date = forms.DateField(label=_("date"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_household(self):
        from .models import Household

        number = self.cleaned_data["household"].strip()
        household = Household.objects.for_user(self.user).filter(number=number).first()
        if household is None:
            raise forms.ValidationError(_("No household with this number in your area."))
        return household
