from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongwei.care import actions
from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.orgs.access import scoped_view
from gongwei.people.models import Resident

from . import rules
from .forms import FollowUpForm
from .models import BloodPressureReading, ChronicFollowUp
from .programme import CONFIG, DM, HTN


class EnrolForm(forms.Form):
    programme = forms.ChoiceField(label=gettext_lazy("Programme"), choices=[(HTN, "高血压"), (DM, "2型糖尿病")])
    date = forms.DateField(label=gettext_lazy("enrolled on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReadingForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"}))
    sbp = forms.IntegerField(label=gettext_lazy("systolic BP (mmHg)"), min_value=60, max_value=300)
    dbp = forms.IntegerField(label=gettext_lazy("diastolic BP (mmHg)"), min_value=30, max_value=200)

    def clean(self):
        data = super().clean()
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("date", _("The date is in the future."))
        if data.get("sbp") and data.get("dbp") and data["dbp"] >= data["sbp"]:
            self.add_error("dbp", _("Diastolic pressure must be lower than systolic."))
        return data


@scoped_view
def screening(request, pk):
    """首诊测血压: record a reading, see what the norm says to do next."""
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=pk)
    form = ReadingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            BloodPressureReading.objects.create(resident=resident, village_id=resident.village_id,
                                                doctor=request.user, **form.cleaned_data)
        return redirect("chronic:screening", resident.pk)
    today = timezone.localdate()
    readings = list(BloodPressureReading.objects.filter(resident=resident, date__gt=today.replace(year=today.year - 1)))
    age = today.year - resident.birth_date.year - ((today.month, today.day) < (resident.birth_date.month, resident.birth_date.day))
    result = (rules.screen_blood_pressure([(r.date, r.sbp, r.dbp) for r in readings], age, CONFIG)
              if readings else None)
    return render(request, "chronic/screening.html", {
        "r": resident, "form": form, "readings": readings, "result": result,
        "label": rules.SCREENING_STATUS_LABELS[result.status] if result else ""})


@scoped_view
def enrol(request, pk):
    resident = get_object_or_404(Resident.objects.for_user(request.user), pk=pk)
    form = EnrolForm(request.POST or None, initial={"date": timezone.localdate(), "programme": request.GET.get("programme", HTN)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_enrol(request, resident, form.cleaned_data["programme"], form.cleaned_data["date"],
                             doctor=resident.doctor)
            messages.success(request, _("Enrolled."))
            return redirect("people:detail", resident.pk)
        except actions.CareError as error:
            form.add_error(None, str(error))
    return render(request, "chronic/enrol.html", {"form": form, "r": resident})


@scoped_view
def followup(request, enrolment):
    e = get_object_or_404(Enrolment.objects.for_user(request.user).select_related("resident"),
                          pk=enrolment, programme__in=(HTN, DM))
    last = ChronicFollowUp.objects.filter(visit__enrolment=e).order_by("-visit__date", "-visit_id").first()
    form = FollowUpForm(request.POST or None, programme=e.programme, last=last)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day = data.pop("visit_date")

        def save_detail(visit):
            detail = form.save(commit=False)
            detail.visit = visit
            if detail.weight_kg and detail.height_cm:
                detail.bmi = rules.bmi(float(detail.weight_kg), float(detail.height_cm))
            detail.save()

        try:
            _visit, result = actions.do_record_visit(
                request, e, day, data, face_to_face=data.get("mode") != "3",
                institution=data.get("referral_institution", ""), save_detail=save_detail)
            messages.success(request, _("Follow-up saved. Next due %(due)s.") % {"due": result.next_due})
            return redirect("care:worklist")
        except actions.CareError as error:
            form.add_error(None, str(error))
    return render(request, "chronic/followup.html", {"form": form, "e": e, "last": last})


@scoped_view
def annual_exam(request, enrolment):
    e = get_object_or_404(Enrolment.objects.for_user(request.user), pk=enrolment, status=EnrolmentStatus.MANAGED)
    form = forms.Form(request.POST or None)
    form.fields["date"] = forms.DateField(label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"}))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_visit(request, e, form.cleaned_data["date"], {}, kind="annual_exam")
            messages.success(request, _("Saved."))
            return redirect("people:detail", e.resident_id)
        except actions.CareError as error:
            form.add_error(None, str(error))
    return render(request, "chronic/enrol.html", {"form": form, "r": e.resident})

