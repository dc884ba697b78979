from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from plm_portal import views

admin.site.site_header = _("Admin Portal PLM — Perpustakaan Nasional RI")
admin.site.site_title = _("Admin Portal PLM")
admin.site.index_title = _("Transformasi Perpustakaan Berbasis Inklusi Sosial (TPBIS)")

# No /media/ route, not even in DEBUG: every stored file (rendered PDFs, exports, photos, logos) is served by a
# view that checks who asks (reports:report_download, libraries:library_logo, ...).
# Every app is mounted under its own prefix. Two addresses stay short on purpose: "/" is the dashboard (the
# reports app's read side) and "/hadir/<token>/" is the self check-in link printed in QR codes.
urlpatterns = [
    path("", include("reports.dashboard_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("meetings/", include("meetings.urls")),
    path("hadir/", include("meetings.checkin_urls")),
    path("libraries/", include("libraries.urls")),
    path("programme/", include("programs.urls")),
    path("reports/", include("reports.urls")),
    path("users/", include("plm_portal.user_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Sign-in addresses are managed by national staff, not by users: allauth's e-mail page is closed.
    path("accounts/email/", views.not_found),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
