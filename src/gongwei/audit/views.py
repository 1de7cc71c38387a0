from datetime import timedelta

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.access import prefix_filter, scope_prefix, scoped_view
from gongwei.orgs.models import Role

from .models import Action, AuditEvent


class LogFilter(forms.Form):
    user = forms.CharField(label=_("User name"), required=False)
    resident = forms.IntegerField(label=_("Resident number"), required=False, min_value=1)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", "—")] + Action.choices)
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


@scoped_view(roles=[Role.COUNTY_ADMIN, Role.SYSADMIN])
def audit_log(request):
    form = LogFilter(request.GET or None)
    # County staff see the log of their county's records; the scope rule still applies.
    events = AuditEvent.objects.filter(
        prefix_filter("record_unit", scope_prefix(request.user))
        | prefix_filter("unit_code", scope_prefix(request.user))
    ).select_related("user")
    if form.is_bound and form.is_valid():
        f = form.cleaned_data
        if f["user"]:
            events = events.filter(user__username=f["user"])
        if f["resident"]:
            events = events.filter(resident_id=f["resident"])
        if f["action"]:
            events = events.filter(action=f["action"])
        if f["date_from"]:
            events = events.filter(at__date__gte=f["date_from"])
        if f["date_to"]:
            events = events.filter(at__lt=f["date_to"] + timedelta(days=1))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
