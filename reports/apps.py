from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from plm_portal import hooks
        from reports import scoring

        # The awards form (meetings) compares the jury's choice with the score sheet.
        hooks.provide(hooks.AWARD_RANKING, scoring.ranking)
