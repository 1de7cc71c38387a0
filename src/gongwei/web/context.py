from django.utils.translation import gettext as _

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = user.unit
    if user.is_superuser and unit is None:
        scope = _("Everything (superuser)")
    elif unit is None:
        scope = _("No unit: ask the county administrator")
    elif unit.kind == "village":
        scope = _("%(unit)s") % {"unit": unit.name}
    else:
        scope = _("%(unit)s and all units below it") % {"unit": unit.name}
    return {"menu": menu_for(user), "scope_label": scope, "current_url": request.path}
