from django.urls import path

from . import api, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export, name="export"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/<int:survivor>/<int:duplicate>/", views.merge, name="merge"),
    path("households/<int:household>/", views.household, name="household"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/id/", views.reveal_id, name="reveal_id"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/death/", views.death, name="death"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/encounters/new/", views.encounter_new, name="encounter_new"),
    path("<int:pk>/household/", views.move_household, name="move_household"),
    path("api/idcheck", api.idcheck, name="api_idcheck"),
    path("api/residents", api.residents, name="api_residents"),
    path("api/residents/<int:pk>", api.resident, name="api_resident"),
]
