from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.views import i18n

from gongwei.orgs.access import public_view, scoped_view
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident, Status

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    gongwei_scope = "public"


class LogoutView(auth_views.LogoutView):
    gongwei_scope = "public"


@public_view
def set_language(request):
    return i18n.set_language(request)


@scoped_view
def home(request):
    units = OrgUnit.objects.for_user(request.user)
    counts = {kind: 0 for kind in OrgUnit.Kind.values}
    for kind in units.values_list("kind", flat=True):
        counts[kind] += 1
    residents = Resident.objects.for_user(request.user).filter(status=Status.ACTIVE).count()
    return render(request, "web/home.html", {"unit_counts": counts, "residents": residents})


@public_view
def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "web/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)
