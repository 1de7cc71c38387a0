from django.urls import path

from . import views

app_name = "maternal"
urlpatterns = [
    path("register/<int:pk>/", views.register, name="register"),
    path("pregnancy/<int:pregnancy>/", views.pregnancy, name="pregnancy"),
    path("visit/<int:maternal_enrolment>/", views.visit, name="visit"),
    path("pregnancy/<int:pregnancy>/antenatal/", views.antenatal, name="antenatal"),
    path("pregnancy/<int:pregnancy>/delivery/", views.delivery, name="delivery"),
    path("pregnancy/<int:pregnancy>/postpartum/", views.postpartum, {"kind": "postpartum_visit"}, name="postpartum"),
    path("pregnancy/<int:pregnancy>/check42/", views.postpartum, {"kind": "check42"}, name="check42"),
    path("pregnancy/<int:pregnancy>/risk/", views.risk, name="risk"),
    path("pregnancy/<int:pregnancy>/pmtct/", views.pmtct, name="pmtct"),
    path("pregnancy/<int:pregnancy>/case/", views.case, name="case"),
    path("pregnancy/<int:pregnancy>/death/", views.death, name="death"),
    path("high-risk/", views.high_risk, name="high_risk"),
    path("due/", views.due, name="due"),
    path("deaths/", views.deaths, name="deaths"),
    path("deaths/<int:maternal_death>/review/", views.review, name="review"),
]
