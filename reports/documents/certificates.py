"""Sertifikat: one page for everyone recorded present on at least one day of the meeting."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetings.models import Meeting, Participation
from reports.documents.base import Document, NothingToPrint, heading, meeting_filename
from reports.models import Report
from reports.selectors import certificate_recipients

KIND = Report.Kind.CERTIFICATES


def filename(meeting: Meeting, options: dict[str, Any]) -> str:
    return meeting_filename("sertifikat", meeting)


def _role(participation: Participation) -> str:
    """Every participant role is printed as "Peserta"; facilitators and committee by their role."""
    if participation.role in Participation.PARTICIPANT_ROLES:
        return _("Peserta")
    return participation.get_role_display()


def build(meeting: Meeting, options: dict[str, Any]) -> Document:
    recipients = certificate_recipients(meeting)
    if not recipients:
        raise NothingToPrint(_("Belum ada peserta yang tercatat hadir: belum ada sertifikat."))
    certificates = [
        {
            "number": f"{number:03d}",
            "name": participation.person.full_name,
            "affiliation": participation.affiliation,
            "role": _role(participation),
        }
        for number, participation in enumerate(recipients, start=1)
    ]
    return Document(
        kind=KIND,
        template_name="reports/pdf/certificates.html",
        stylesheets=("base.css", "charter.css"),
        filename=filename(meeting, options),
        options=options,
        sheets="certificates",
        data={**heading(meeting, meeting.end_date), "certificates": certificates},
    )
