"""The menu, by role. Each entry names a URL and who sees it (None: everyone logged in)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gongwei.orgs.models import Role

TOWNSHIP_ROLES = {Role.TOWNSHIP_PH, Role.TOWNSHIP_MCH, Role.TOWNSHIP_DIRECTOR}
COUNTY_ROLES = {Role.COUNTY_ADMIN, Role.COUNTY_CDC, Role.COUNTY_MCH, Role.SYSADMIN}


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset | None = None


MENU = [
    NavItem("home", _("Home")),
    NavItem("care:worklist", _("Work list")),
    NavItem("people:search", _("Residents")),
    NavItem("maternal:due", _("Pregnancies")),
    NavItem("child:due", _("Children 0–6")),
    NavItem("immunization:due", _("Immunization")),
    NavItem("indicators:dashboard", _("Dashboard")),
    NavItem("indicators:overview", _("Indicators")),
    NavItem("indicators:progress", _("Targets")),
    NavItem("reports:list", _("Reports")),
    NavItem("quality:findings", _("Data quality")),
    NavItem("orgs:unit_list", _("Units and staff")),
    NavItem("audit:log", _("Audit log"), frozenset({Role.COUNTY_ADMIN, Role.SYSADMIN})),
]


def menu_for(user) -> list[dict]:
    items = []
    for item in MENU:
        if item.roles is not None and not user.is_superuser and user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the room that owns it is not installed
            continue
        items.append({"url": url, "label": item.label, "name": item.url_name})
    return items
