"""The public self check-in pages, mounted at /hadir/ (plm_portal/urls.py).

The paths are printed in QR codes and shared as links: they must never change.
"""

from django.urls import path

from meetings.views import checkin

app_name = "checkin"

urlpatterns = [
    path("<str:token>/", checkin.checkin_page, name="start"),
    path("<str:token>/cari/", checkin.checkin_search, name="search"),
]
