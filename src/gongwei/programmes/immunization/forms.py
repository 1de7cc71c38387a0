"""Forms of the immunization programme: the card, a dose, an adverse event, its classification.

They check what can be checked at the edge and keep what was typed; the actions check again.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.models import OrgUnit, User

from .actions import default_route, max_dose
from .models import AEFI, AefiClass, Outcome, Route, Site, Severity
from .panel import vaccine_name
from .schedule import VACCINES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(form, field):
    day = form.cleaned_data.get(field)
    if day and day > timezone.localdate():
        form.add_error(field, _("The date is in the future."))


class CardForm(forms.Form):
    date = forms.DateField(label=_("card date"), widget=DATE)
    clinic = forms.ModelChoiceField(label=_("vaccination clinic"), queryset=OrgUnit.objects.none(),
                                    empty_label=None)
    number = forms.CharField(label=_("card number"), max_length=30, required=False,
                             help_text=_("As printed on the certificate; empty: the health record number."))

    def __init__(self, *args, resident, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["clinic"].queryset = clinics
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        _not_future(self, "date")
        day = data.get("date")
        if day and day < self.resident.birth_date:
            self.add_error("date", _("The date is before the date of birth."))
        return data


class DoseForm(forms.Form):
    vaccine = forms.ChoiceField(label=_("vaccine"))
    dose = forms.IntegerField(label=_("dose number (as on the certificate)"), min_value=1, max_value=5)
    date = forms.DateField(label=_("date given"), widget=DATE)
    where = forms.ChoiceField(label=_("given"), widget=forms.RadioSelect,
                              choices=[("here", _("here, at our clinic")), ("elsewhere", _("elsewhere"))])
    clinic = forms.ModelChoiceField(label=_("vaccination clinic"), queryset=OrgUnit.objects.none(), required=False)
    vaccinator = forms.ModelChoiceField(label=_("vaccinator"), queryset=User.objects.none(), required=False)
    elsewhere = forms.CharField(label=_("given elsewhere, at"), max_length=100, required=False)
    batch = forms.CharField(label=_("batch number"), max_length=30, required=False)
    manufacturer = forms.CharField(label=_("manufacturer"), max_length=60, required=False)
    site = forms.ChoiceField(label=_("site"), choices=[("", "—"), *Site.choices], required=False)
    route = forms.ChoiceField(label=_("route"), choices=[("", _("usual route of the vaccine")), *Route.choices],
                              required=False)

    def __init__(self, *args, resident, clinics, vaccinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.fields["vaccine"].choices = [("", "—")] + [(v.code, f"{v.code} {vaccine_name(v.code)}") for v in VACCINES]
        self.fields["clinic"].queryset = clinics
        self.fields["vaccinator"].queryset = vaccinators
        self.fields["date"].initial = timezone.localdate()
        self.fields["where"].initial = "here"
        self.fields["vaccine"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        _not_future(self, "date")
        day, vaccine, dose = data.get("date"), data.get("vaccine"), data.get("dose")
        if day and day < self.resident.birth_date:
            self.add_error("date", _("The date is before the date of birth (%(birth)s).")
                           % {"birth": self.resident.birth_date.isoformat()})
        if vaccine and dose and dose > max_dose(vaccine):
            self.add_error("dose", _("%(vaccine)s has %(n)d doses.") % {"vaccine": vaccine_name(vaccine),
                                                                          "n": max_dose(vaccine)})
        route, site = data.get("route"), data.get("site")
        if vaccine:
            oral = default_route(vaccine) == Route.ORAL
            if route and (route == Route.ORAL) != oral:
                self.add_error("route", _("%(vaccine)s is given %(route)s.") % {
                    "vaccine": vaccine_name(vaccine), "route": Route(default_route(vaccine)).label})
            if site and (site == Site.ORAL) != oral:
                self.add_error("site", _("The site does not fit the vaccine."))
        if data.get("where") == "here":
            for name in ("clinic", "vaccinator", "batch", "manufacturer"):
                if not data.get(name):
                    self.add_error(name, _("Required for a dose given here."))
            data["elsewhere"] = ""
        elif data.get("where") == "elsewhere":
            if not (data.get("elsewhere") or "").strip():
                self.add_error("elsewhere", _("Say where the dose was given."))
            data["clinic"] = data["vaccinator"] = None
        return data


class AefiForm(forms.ModelForm):
    class Meta:
        model = AEFI
        fields = ["onset_date", "symptoms", "severity", "hospitalised", "reported_on"]
        widgets = {"onset_date": DATE, "reported_on": DATE, "symptoms": forms.Textarea(attrs={"rows": 3}),
                   "severity": forms.RadioSelect}

    def __init__(self, *args, dose, **kwargs):
        super().__init__(*args, **kwargs)
        self.dose = dose
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["severity"].choices = Severity.choices

    def clean(self):
        data = super().clean()
        _not_future(self, "onset_date")
        _not_future(self, "reported_on")
        onset, reported = data.get("onset_date"), data.get("reported_on")
        if onset and onset < self.dose.date:
            self.add_error("onset_date", _("The onset is before the dose was given (%(date)s).")
                           % {"date": self.dose.date.isoformat()})
        if onset and reported and reported < onset:
            self.add_error("reported_on", _("The report is dated before the onset."))
        return data


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label=_("reaction class"), choices=AefiClass.choices)
    outcome = forms.ChoiceField(label=_("patient outcome"), choices=Outcome.choices, required=False)
    note = forms.CharField(label=_("investigation note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("classified on"), widget=DATE)

    def clean(self):
        data = super().clean()
        _not_future(self, "date")
        return data
