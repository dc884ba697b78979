"""Print the demo accounts and their password: ``manage.py demo_accounts`` (``make run`` shows it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plm_portal.models import User
from reports.demo import account_emails, demo_password


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
