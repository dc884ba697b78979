"""Dashboards, mounted at the site root: the URL name "home" is used by every page's navigation.

Kept apart from reports.urls (namespace "reports", prefix /reports/) because the home page lives at "/".
"""

from django.urls import path

from reports import dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("waves/", dashboard_views.waves, name="waves"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", dashboard_views.dashboard_province, name="dashboard_province"),
]
