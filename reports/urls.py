"""Report pages, mounted under ``reports/`` by plm_portal/urls.py."""

from django.urls import path

from reports import personal_data_views, scoring_views, views
from reports.exports import views as export_views

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
    # Exports of the list pages: CSV streamed, XLSX built as a job shown on "Ekspor saya".
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<slug:dataset>/csv/", export_views.export_csv, name="export_csv"),
    path("exports/<slug:dataset>/xlsx/", export_views.export_xlsx, name="export_xlsx"),
    path("exports/<int:pk>/status/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/retry/", export_views.export_retry, name="export_retry"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]

# A person's data rights (UU PDP): national staff only; see reports/personal_data_views.py.
urlpatterns += [
    path(
        "people/<int:pk>/personal-data/",
        personal_data_views.personal_data_page,
        name="personal_data",
    ),
    path(
        "people/<int:pk>/personal-data/json/",
        personal_data_views.personal_data_json_export,
        name="personal_data_json",
    ),
    path(
        "people/<int:pk>/personal-data/pdf/",
        personal_data_views.personal_data_pdf_export,
        name="personal_data_pdf",
    ),
    path(
        "people/<int:pk>/personal-data/erase/",
        personal_data_views.personal_data_erase,
        name="personal_data_erase",
    ),
]
