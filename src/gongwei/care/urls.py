from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("plan/", views.monthly_plan, name="plan"),
    path("plan.xlsx", views.export, name="export"),
    path("referrals/<int:referral>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("enrolments/<int:enrolment>/close/", views.close, name="close"),
]
