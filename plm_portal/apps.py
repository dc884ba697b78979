from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlmPortalConfig(AppConfig):
    name = "plm_portal"
    verbose_name = _("Portal PLM")
