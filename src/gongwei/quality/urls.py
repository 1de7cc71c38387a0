from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.findings, name="findings"),
    path("run/", views.run_now, name="run"),
    # The finding is named in the form, so the URL needs no parameter of its own.
    path("explain/", views.explain, name="explain"),
    path("day/<str:code>/", views.day, name="day"),
]
