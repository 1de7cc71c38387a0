from django.urls import path

from . import views

app_name = "child"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("enrol/<int:pk>/", views.enrol, name="enrol"),
    path("check/<int:child_enrolment>/", views.check, name="check"),
    path("checks/<int:child_check>/", views.check_detail, name="check_detail"),
    path("weak/", views.weak_list, name="weak_list"),
    path("weak/<int:weak_case>/", views.weak_case, name="weak_case"),
    path("weak/followup/<int:weak_enrolment>/", views.weak_followup, name="weak_followup"),
    path("death/<int:pk>/", views.death, name="death"),
    path("deaths/", views.deaths, name="deaths"),
    path("deaths/<int:child_death>/", views.death_detail, name="death_detail"),
]
