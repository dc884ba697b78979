from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program")

    def ready(self) -> None:
        from programs.photos import connect_photo_cleanup

        connect_photo_cleanup()
