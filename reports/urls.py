"""Report pages, mounted under ``reports/`` by plm_portal/urls.py."""

from django.urls import path

from reports import scoring_views, views

app_name = "reports"

urlpatterns = [
    path("awards/scores/", scoring_views.award_scores, name="award_scores"),
    path("meetings/<int:pk>/", views.meeting_reports, name="meeting_reports"),
    path("meetings/<int:pk>/request/", views.report_request, name="report_request"),
    path(
        "meetings/<int:pk>/<int:report_pk>/status/",
        views.report_status,
        name="report_status",
    ),
    path(
        "meetings/<int:pk>/<int:report_pk>/retry/",
        views.report_retry,
        name="report_retry",
    ),
    path(
        "meetings/<int:pk>/<int:report_pk>/download/",
        views.report_download,
        name="report_download",
    ),
]
