from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlmPortalConfig(AppConfig):
    name = "plm_portal"
    verbose_name = _("Portal PLM")

    def ready(self) -> None:
        # Sign-in, MFA and permission-denied events as structured log lines.
        from plm_portal import auth_events

        auth_events.connect()
