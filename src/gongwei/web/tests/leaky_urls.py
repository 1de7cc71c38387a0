"""The site's URLs plus one view that forgets its scope: test_scope must catch it."""

from django.http import HttpResponse
from django.urls import path

from gongwei.config.urls import urlpatterns as site_urls
from gongwei.orgs.access import scoped_view
from gongwei.orgs.models import OrgUnit


@scoped_view
def leaky_unit_list(request):
    # The mistake under test: .all() instead of .for_user(request.user).
    return HttpResponse(", ".join(u.name for u in OrgUnit.objects.all()))


@scoped_view
def leaky_rename(request, code):
    unit = OrgUnit.objects.get(code=code)
    if request.method == "POST":
        unit.name += "!"
        unit.save()
    return HttpResponse(unit.name)


def undeclared(request):
    return HttpResponse("secret")


urlpatterns = site_urls + [
    path("leaky/", leaky_unit_list, name="leaky"),
    path("leaky/<str:code>/", leaky_rename, name="leaky_rename"),
    path("undeclared/", undeclared, name="undeclared"),
]
