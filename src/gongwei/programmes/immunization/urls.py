from django.urls import path

from . import views

app_name = "immunization"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("due/print/", views.due_print, name="due_print"),
    path("due/export/", views.due_export, name="due_export"),
    path("card/new/<int:imm_child>/", views.issue_card, name="issue_card"),
    path("card/<int:imm_enrolment>/", views.card, name="card"),
    path("aefi/", views.aefi_list, name="aefi_list"),
    path("aefi/new/<int:imm_dose>/", views.aefi_report, name="aefi_report"),
    path("aefi/<int:imm_aefi>/", views.aefi, name="aefi"),
]
