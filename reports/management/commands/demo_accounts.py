"""Print the demo accounts and their password: ``manage.py demo_accounts`` (``make run`` shows it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plm_portal.models import User
from reports.demo import account_emails, demo_password, demo_totp_secret


class Command(BaseCommand):
    help = "Print the demo accounts (e-mail, role, province, password) created by load_demo."

    def handle(self, *args, **options) -> None:
        emails = account_emails()
        users = {
            user.email: user
            for user in User.objects.filter(email__in=emails).select_related("province")
        }
        header = (_("Email"), _("Peran"), _("Provinsi"), _("Kata sandi"))
        rows = []
        for email in emails:
            user = users.get(email)
            if user is None:
                rows.append((email, _("belum dibuat: jalankan load_demo"), "", ""))
                continue
            rows.append(
                (
                    user.email,
                    str(user.get_role_display()),
                    user.province.name if user.province else "—",
                    demo_password(),
                )
            )
        widths = [max(len(row[column]) for row in (header, *rows)) for column in range(4)]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

        self.stdout.write(_("Akun demo (ubah kata sandinya di luar pengembangan lokal):"))
        self.stdout.write(line(header).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row).rstrip())
        self._print_totp(users)

    def _print_totp(self, users: dict[str, User]) -> None:
        """The published TOTP key of the accounts that must use two-factor sign-in, and the code right now."""
        import time

        from allauth.mfa import app_settings as mfa_settings
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        emails = [email for email, user in users.items() if user.is_national or user.is_staff]
        if not emails:
            return
        secret = demo_totp_secret()
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write("")
        self.stdout.write(
            _("Verifikasi dua langkah (%(emails)s): kunci TOTP %(secret)s, kode saat ini %(code)s")
            % {
                "emails": ", ".join(emails),
                "secret": secret,
                "code": format_hotp_value(hotp_value(secret, counter)),
            }
        )
        self.stdout.write(
            _(
                "Tambahkan kunci itu ke aplikasi autentikator, atau jalankan lagi "
                "`python manage.py demo_accounts` untuk kode baru (berlaku 30 detik)."
            )
        )
