from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from gongwei.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("login/", web.LoginView.as_view(), name="login"),
    path("logout/", web.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", web.set_language, name="set_language"),
    path("healthz", web.healthz, name="healthz"),
    path("units/", include("gongwei.orgs.urls")),
    path("audit/", include("gongwei.audit.urls")),
    path("people/", include("gongwei.people.urls")),
    path("care/", include("gongwei.care.urls")),
    path("indicators/", include("gongwei.indicators.urls")),
    path("quality/", include("gongwei.quality.urls")),
    path("reports/", include("gongwei.reports.urls")),
    path("admin/", admin.site.urls),
]
# Every programme folder with a urls module is mounted under its own name.
urlpatterns += [
    path(f"programmes/{app.rsplit('.', 1)[1]}/", include(f"{app}.urls"))
    for app in settings.PROGRAMME_APPS if find_spec(f"{app}.urls")
]

handler403 = "gongwei.web.views.permission_denied"
handler404 = "gongwei.web.views.page_not_found"

admin.site.site_header = "公卫 gongwei"
admin.site.site_title = "公卫 gongwei"
