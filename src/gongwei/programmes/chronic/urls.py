from django.urls import path

from . import views

app_name = "chronic"
urlpatterns = [
    path("screening/<int:pk>/", views.screening, name="screening"),
    path("enrol/<int:pk>/", views.enrol, name="enrol"),
    path("followup/<int:enrolment>/", views.followup, name="followup"),
    path("annual/<int:enrolment>/", views.annual_exam, name="annual_exam"),
]
