"""Report pages, mounted at the site root by plm_portal/urls.py: ``path("", include("reports.urls"))``."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("meetings/<int:pk>/reports/", views.meeting_reports, name="meeting_reports"),
    path("meetings/<int:pk>/reports/request/", views.report_request, name="request"),
    path(
        "meetings/<int:pk>/reports/<int:report_pk>/status/",
        views.report_status,
        name="status",
    ),
    path(
        "meetings/<int:pk>/reports/<int:report_pk>/retry/",
        views.report_retry,
        name="retry",
    ),
    path(
        "meetings/<int:pk>/reports/<int:report_pk>/download/",
        views.report_download,
        name="download",
    ),
]
