"""Implementation activities and impact stories, as their list pages filter them for the user.

Stories: the editors' list shows editors the real person; an export is a file that travels further, so the
storyteller is named as ``ImpactStory.public_name`` names them (their name only with consent and not anonymous,
else the alias) and nobody's phone or e-mail is in it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext as _

from libraries.selectors import get_library_for_user, library_regency_choices, province_choices
from plm_portal.choices import LineOfWork
from plm_portal.models import User
from programs.forms.activities import ActivityFilterForm
from programs.forms.stories import StoryFilterForm
from programs.models import ImpactStory
from programs.selectors import activities as activity_selectors
from programs.selectors import stories as story_selectors
from reports.exports.base import Plan, Row, labels, stream, summarise
from reports.exports.cells import yes_no


def _place_query(params: QueryDict, provinces: list) -> tuple[QueryDict, str]:
    """The list views' rule: a regency of a province other than the chosen one is dropped."""
    query = params.copy()
    province = query.get("province", "") if provinces else ""
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)
    return query, province


def activities_plan(user: User, params: QueryDict) -> Plan:
    """The activity list's rows (403 for those the list refuses), with beneficiaries as numbers."""
    if not activity_selectors.can_use_activities(user):
        raise PermissionDenied
    provinces = province_choices(user)
    query, province = _place_query(params, provinces)
    form = ActivityFilterForm(
        query or None, provinces=provinces, regencies=library_regency_choices(user, province)
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    library = get_library_for_user(user, data["library"]) if data.get("library") else None
    activities = activity_selectors.activity_list(
        user,
        year=data.get("year"),
        line_of_work=data.get("line_of_work", ""),
        province=data.get("province", ""),
        regency=data.get("regency", ""),
        library=library.pk if library else None,
    )
    rows = activities.values_list(
        "library__province__name",
        "library__regency__name",
        "library__name",
        "line_of_work",
        "title",
        "date",
        "end_date",
        "location",
        "partners",
        "beneficiaries_female",
        "beneficiaries_male",
        "beneficiaries_disabled",
        "description",
        "evidence_url",
    )
    lines = labels(LineOfWork.choices)

    def transform(v: tuple) -> Row:
        cells = list(v)
        cells[1] = cells[1] or ""
        cells[3] = lines.get(cells[3], cells[3])
        female, male = cells[9], cells[10]
        return [*cells[:11], female + male, *cells[11:]]

    headers = [
        _("Provinsi"),
        _("Kabupaten/kota"),
        _("Perpustakaan"),
        _("Lini kerja"),
        _("Judul kegiatan"),
        _("Tanggal"),
        _("Tanggal selesai"),
        _("Tempat"),
        _("Mitra/pihak yang terlibat"),
        _("Penerima manfaat perempuan"),
        _("Penerima manfaat laki-laki"),
        _("Jumlah penerima manfaat"),
        _("Di antaranya penyandang disabilitas"),
        _("Uraian"),
        _("Tautan bukti"),
    ]
    leading = [library.name] if library else []
    return Plan(
        dataset="activities",
        title=_("Kegiatan implementasi"),
        headers=headers,
        rows=lambda: stream(rows, transform),
        count=rows.count,
        summary=summarise(form, leading=leading),
    )


def stories_plan(user: User, params: QueryDict) -> Plan:
    """The editors' story list (403 for anyone else), the storyteller named as consent allows."""
    story_selectors.require_story_editor(user)
    provinces = province_choices(user)
    query, province = _place_query(params, provinces)
    form = StoryFilterForm(
        query or None, provinces=provinces, regencies=library_regency_choices(user, province)
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    stories = (
        story_selectors.story_list(
            user,
            status=data.get("status", ""),
            year=data.get("year"),
            line_of_work=data.get("line_of_work", ""),
            province=data.get("province", ""),
            regency=data.get("regency", ""),
        )
        .select_related("person")
        .only(
            "library__province__name",
            "library__regency__name",
            "library__name",
            "person__full_name",
            "anonymous",
            "alias",
            "title",
            "date",
            "line_of_work",
            "status",
            "consent_given",
            "consent_date",
            "change_skills",
            "change_income",
            "change_work",
            "change_community",
            "before",
            "after",
            "story",
        )
    )
    lines, statuses = labels(LineOfWork.choices), labels(ImpactStory.Status.choices)
    yes, no = _("Ya"), _("Tidak")

    def transform(story: ImpactStory) -> Row:
        regency = story.library.regency
        return [
            story.library.province.name,
            regency.name if regency else "",
            story.library.name,
            story.title,
            story.date,
            lines.get(story.line_of_work, ""),
            statuses.get(story.status, story.status),
            story.public_name,  # the consent rule of the model, never the person's name otherwise
            yes_no(story.consent_given, yes, no),
            story.consent_date,
            ", ".join(story.changes),
            story.before,
            story.after,
            story.story,
        ]

    headers = [
        _("Provinsi"),
        _("Kabupaten/kota"),
        _("Perpustakaan"),
        _("Judul"),
        _("Tanggal"),
        _("Lini kerja"),
        _("Status"),
        _("Narasumber"),
        _("Persetujuan publikasi"),
        _("Tanggal persetujuan"),
        _("Perubahan"),
        _("Keadaan sebelum"),
        _("Keadaan sesudah"),
        _("Cerita"),
    ]
    return Plan(
        dataset="stories",
        title=_("Cerita dampak"),
        headers=headers,
        rows=lambda: stream(stories, transform),
        count=stories.count,
        summary=summarise(form),
    )
