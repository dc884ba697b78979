"""Piagam penghargaan: one charter per award of the meeting's province and year presented at this meeting."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meetings.models import Award, Meeting
from reports.documents.base import (
    Document,
    NothingToPrint,
    heading,
    library_area,
    meeting_filename,
)
from reports.models import Report
from reports.selectors import charter_awards

KIND = Report.Kind.AWARD_CHARTERS
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def filename(meeting: Meeting, options: dict[str, Any]) -> str:
    return meeting_filename("piagam", meeting)


def _rank(award: Award) -> str:
    return ROMAN[award.rank - 1] if 1 <= award.rank <= len(ROMAN) else str(award.rank)


def build(meeting: Meeting, options: dict[str, Any]) -> Document:
    category_order = {category: index for index, category in enumerate(Award.Category.values)}
    awards = sorted(charter_awards(meeting), key=lambda a: (category_order[a.category], a.rank))
    if not awards:
        raise NothingToPrint(_("Belum ada penghargaan untuk pertemuan ini: belum ada piagam."))
    charters = [
        {
            "number": f"{number:03d}",
            "library": award.library.name,
            "area": library_area(award.library),
            "category": award.get_category_display().upper(),
            "rank": _rank(award),
            "citation": award.citation,
        }
        for number, award in enumerate(awards, start=1)
    ]
    return Document(
        kind=KIND,
        template_name="reports/pdf/award_charters.html",
        stylesheets=("base.css", "charter.css"),
        filename=filename(meeting, options),
        options=options,
        sheets="charters",
        data={**heading(meeting, meeting.end_date), "charters": charters},
    )
