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
    path("admin/", admin.site.urls),
]

handler403 = "gongwei.web.views.permission_denied"
handler404 = "gongwei.web.views.page_not_found"

admin.site.site_header = "公卫 gongwei"
admin.site.site_title = "公卫 gongwei"
