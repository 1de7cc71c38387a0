from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("recompute", views.recompute, name="recompute"),
    path("targets/", views.targets, name="targets"),
    path("progress/", views.progress, name="progress"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<str:indicator>/<str:code>/", views.members, name="members"),
]
