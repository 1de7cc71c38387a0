from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("fill", views.fill, name="fill"),
    path("<int:report>/", views.detail, name="detail"),
    path("<int:report>/xlsx", views.export_xlsx, name="xlsx"),
    path("<int:report>/pdf", views.export_pdf, name="pdf"),
]
