from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from .access import scoped_view
from .models import OrgUnit, User


@scoped_view
def unit_list(request):
    units = (OrgUnit.objects.for_user(request.user)
             .annotate(staff_count=Count("staff")).order_by("code"))
    return render(request, "orgs/unit_list.html", {"units": units})


@scoped_view
def unit_detail(request, code):
    unit = get_object_or_404(OrgUnit.objects.for_user(request.user), code=code)
    staff = User.objects.for_user(request.user).filter(unit=unit, is_active=True)
    children = OrgUnit.objects.for_user(request.user).filter(parent=unit)
    return render(request, "orgs/unit_detail.html",
                  {"unit": unit, "staff": staff, "children": children})
