"""The demo's programme work (reports.demo_programme, demo/plm_jambi_2022.toml): every new page has something to
show after ``load_demo`` — enrolment history, activities with photos, impact stories in every state, RTL
follow-ups recorded and due, and an award score sheet that ranks the demo libraries."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from libraries.models import Library
from meetings.models import Award, RtlFollowUp
from meetings.selectors import follow_ups_due
from plm_portal.models import User
from programs.models import Activity, ActivityPhoto, Enrollment, EnrollmentChange, ImpactStory
from programs.services.enrollment import change_enrollment
from reports import demo, demo_programme
from reports.scoring import CATEGORY_KIND, ranking, score_sheet
from tests.demo_regions import create_demo_regions
from tests.programs.factories_activities import (  # noqa: F401 - fixture
    jpeg_bytes,
    private_storage_fixture,
)

RANDOM_NAME = re.compile(r"photos/[0-9a-f]{32}\.jpg")
ALIAS = "Ibu E., 38 tahun"


@pytest.fixture
def demo_regions(db) -> None:
    create_demo_regions()


@pytest.fixture
def loaded(demo_regions, private_storage) -> demo.DemoResult:
    return demo.load_demo()


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _stored_files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*.jpg")}


# --- enrolment history -----------------------------------------------------------------------------------


def test_demo_every_enrollment_starts_its_history_by_the_province_officer(loaded):
    officers = {"15": _user("jambi@demo.test"), "14": _user("riau@demo.test")}

    for enrollment in Enrollment.objects.select_related("library", "programme_year"):
        changes = list(enrollment.changes.order_by("changed_at", "pk"))
        first = changes[0]
        assert first.changed_by == officers[enrollment.library.province_id]
        assert first.changed_at.year == enrollment.programme_year.year
        last = changes[-1]
        assert (last.partner_status, last.cohort, last.joined_on) == (
            enrollment.partner_status,
            enrollment.cohort,
            enrollment.joined_on,
        )


def test_demo_village_library_changed_from_partner_to_replication_in_2023(loaded):
    enrollment = Enrollment.objects.get(
        programme_year__year=2023, library__name="Perpustakaan Desa Mendalo Darat"
    )

    changes = list(enrollment.changes.order_by("changed_at"))

    assert [c.partner_status for c in changes] == [
        Enrollment.PartnerStatus.PARTNER,
        Enrollment.PartnerStatus.REPLICATION,
    ]
    assert changes[0].note == ""
    assert "APBDes 2023" in changes[1].note
    assert {c.changed_by.email for c in changes} == {"jambi@demo.test"}
    assert changes[0].changed_at < changes[1].changed_at
    assert changes[1].changed_at.date() == dt.date(2023, 3, 20)


def test_demo_library_page_shows_the_enrollment_history(loaded, client):
    library = Library.objects.get(name="Perpustakaan Desa Mendalo Darat")
    client.force_login(_user("jambi@demo.test"))

    response = client.get(reverse("libraries:library_detail", args=[library.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Riwayat kepesertaan 2023" in body
    assert "APBDes 2023 sudah disahkan" in body
    assert "Replikasi (anggaran daerah)" in body


def test_demo_history_kept_when_an_officer_changed_a_demo_enrollment(loaded):
    enrollment = Enrollment.objects.get(
        programme_year__year=2022, library__name="Perpustakaan Desa Teluk Pandak"
    )
    enrollment.partner_status = Enrollment.PartnerStatus.WITHDRAWN
    change_enrollment(enrollment=enrollment, note="Pengelola pindah.", by=_user("jambi@demo.test"))
    before = sorted(EnrollmentChange.objects.values_list("pk", "partner_status", "changed_at"))

    second = demo.load_demo()

    assert second.total_created == 0
    assert sorted(EnrollmentChange.objects.values_list("pk", "partner_status", "changed_at")) == (
        before
    )
    enrollment.refresh_from_db()
    assert enrollment.partner_status == Enrollment.PartnerStatus.WITHDRAWN


# --- activities and their photos -------------------------------------------------------------------------


def test_demo_activities_count_disabled_beneficiaries_and_link_evidence(loaded):
    activities = list(Activity.objects.select_related("library", "created_by"))

    assert all(a.beneficiaries_disabled <= a.beneficiaries_total for a in activities)
    assert sum(a.beneficiaries_disabled > 0 for a in activities) >= 5
    links = [a.evidence_url for a in activities if a.evidence_url]
    assert len(links) >= 4
    assert all(re.fullmatch(r"https://[a-z0-9.-]+\.(example\.id|demo\.test)/\S+", u) for u in links)
    assert {(a.library.province_id, a.created_by.email) for a in activities} == {
        ("15", "jambi@demo.test"),
        ("14", "riau@demo.test"),
    }


def test_demo_two_activities_have_photos_stored_privately_without_metadata(loaded, private_storage):
    photos = list(ActivityPhoto.objects.select_related("activity", "uploaded_by"))

    assert sorted(p.activity.title for p in photos) == [
        "Kelas keterampilan membuat kerupuk ikan bersama PKK",
        "Kelas literasi digital untuk pelajar",
    ]
    for photo in photos:
        assert RANDOM_NAME.fullmatch(photo.image.name)
        assert photo.caption
        assert photo.uploaded_by.email == "jambi@demo.test"
        assert photo.uploaded_at.date() == (photo.activity.end_date or photo.activity.date)
        stored = (private_storage / photo.image.name).read_bytes()
        with Image.open(io.BytesIO(stored)) as image:
            assert (image.format, image.size) == ("JPEG", (photo.width, photo.height))
            assert not image.getexif()
            assert not {"exif", "icc_profile", "comment"} & set(image.info)
            # Re-encoded by programs.photos (progressive), not the file of demo/photos as it is.
            assert image.info.get("progressive")
    originals = {(demo_programme.PHOTO_DIR / name).read_bytes() for name in _demo_photo_names()}
    assert not {(private_storage / p.image.name).read_bytes() for p in photos} & originals


def _demo_photo_names() -> list[str]:
    return sorted(path.name for path in demo_programme.PHOTO_DIR.glob("*.jpg"))


def test_demo_photos_lose_their_exif_and_gps_on_the_way_in(
    demo_regions, private_storage, tmp_path, monkeypatch
):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in _demo_photo_names():
        (folder / name).write_bytes(jpeg_bytes((800, 600), gps=True))
    monkeypatch.setattr(demo_programme, "PHOTO_DIR", folder)

    demo.load_demo()

    names = [p.image.name for p in ActivityPhoto.objects.all()]
    names += [s.photo.name for s in ImpactStory.objects.exclude(photo="")]
    assert len(names) == 3
    for name in names:
        with Image.open(private_storage / name) as image:
            assert not image.getexif()
            assert "exif" not in image.info


def test_demo_activity_photo_is_served_in_scope_only(loaded, client):
    photo = ActivityPhoto.objects.get(activity__title="Kelas literasi digital untuk pelajar")
    url = reverse("programs:activity_photo", args=[photo.pk])

    client.force_login(_user("jambi@demo.test"))
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")

    client.force_login(_user("riau@demo.test"))
    assert client.get(url).status_code == 404


def test_demo_second_run_stores_no_file(loaded, private_storage):
    files = _stored_files(private_storage)

    second = demo.load_demo()

    assert second.files == []
    assert _stored_files(private_storage) == files
    assert len(files) == 3


def test_demo_run_that_fails_removes_the_files_it_stored(
    demo_regions, private_storage, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("stories failed")

    monkeypatch.setattr(demo_programme, "load_stories", broken)

    with pytest.raises(RuntimeError, match="stories failed"):
        demo.load_demo()

    assert _stored_files(private_storage) == set()
    assert not ActivityPhoto.objects.exists()
    assert not Library.objects.exists()


# --- impact stories --------------------------------------------------------------------------------------


def test_demo_jambi_stories_are_in_every_state_of_the_workflow(loaded):
    stories = list(
        ImpactStory.objects.filter(library__province_id="15").select_related(
            "verified_by", "published_by", "consent_recorded_by", "created_by", "activity"
        )
    )
    by_status = {
        status: [s for s in stories if s.status == status] for status in ImpactStory.Status
    }

    assert {status: len(rows) for status, rows in by_status.items()} == {
        ImpactStory.Status.DRAFT: 1,
        ImpactStory.Status.VERIFIED: 1,
        ImpactStory.Status.PUBLISHED: 3,
    }
    assert all(s.created_by.email == "jambi@demo.test" for s in stories)
    for story in by_status[ImpactStory.Status.PUBLISHED]:
        assert story.consent_given and story.consent_method and story.consent_date
        assert story.consent_recorded_by.email == "jambi@demo.test"
        assert story.verified_by.email == "jambi@demo.test"
        assert story.published_by.email == "nasional@demo.test"
        assert story.consent_date <= story.verified_at.date() < story.published_at.date()
    (verified,) = by_status[ImpactStory.Status.VERIFIED]
    assert verified.consent_given and verified.verified_by.email == "jambi@demo.test"
    assert (verified.published_by, verified.published_at) == (None, None)
    (draft,) = by_status[ImpactStory.Status.DRAFT]
    assert not draft.consent_given
    assert (draft.consent_date, draft.consent_method, draft.consent_recorded_by) == (None, "", None)
    assert (draft.verified_by, draft.published_by) == (None, None)
    assert {s.consent_method for s in stories if s.consent_given} == set(
        ImpactStory.ConsentMethod.values
    )
    linked = [s for s in stories if s.activity_id]
    assert len(linked) >= 3
    assert all(s.activity.library_id == s.library_id for s in linked)
    assert all(s.changes for s in stories)


def test_demo_one_published_story_is_anonymous_with_an_alias(loaded):
    story = ImpactStory.objects.select_related("person").get(
        status=ImpactStory.Status.PUBLISHED, anonymous=True
    )

    assert story.alias == ALIAS
    assert story.public_name == ALIAS
    assert story.person.full_name not in " ".join(
        (story.title, story.story, story.before, story.after)
    )


def test_demo_published_story_photo_is_re_encoded(loaded, private_storage):
    story = ImpactStory.objects.exclude(photo="").get()

    assert story.status == ImpactStory.Status.PUBLISHED
    assert not story.anonymous
    assert RANDOM_NAME.fullmatch(story.photo.name)
    with Image.open(private_storage / story.photo.name) as image:
        assert image.format == "JPEG" and not image.getexif() and image.info.get("progressive")


def test_demo_published_stories_page_shows_the_alias_not_the_name(loaded, client):
    client.force_login(_user("riau@demo.test"))

    response = client.get(reverse("programs:story_published"))

    body = response.content.decode()
    assert response.status_code == 200
    assert ALIAS in body
    assert "Ernawati" not in body


# --- RTL follow-ups --------------------------------------------------------------------------------------


def test_demo_jambi_follow_ups_mix_recorded_and_overdue(loaded, client):
    jambi = RtlFollowUp.objects.filter(rtl_action__meeting__province_id="15")
    officer = _user("jambi@demo.test")
    due = list(follow_ups_due(officer, today=dt.date.today()))

    assert set(jambi.values_list("status", flat=True)) == set(RtlFollowUp.Status.values)
    recorded = jambi.exclude(status=RtlFollowUp.Status.PENDING)
    assert recorded.count() >= 10
    assert all(f.recorded_by_id and f.recorded_at for f in recorded)
    assert recorded.filter(month=6).exists()
    assert recorded.exclude(evidence_url="").exists()
    assert len(due) >= 10
    assert len(due) == jambi.filter(status=RtlFollowUp.Status.PENDING).count()

    client.force_login(officer)
    response = client.get(reverse("meetings:follow_ups_due"))
    assert response.status_code == 200
    assert "terlambat" in response.content.decode()


def test_demo_recorded_follow_ups_agree_with_their_row(loaded):
    """A later check (the file's ``follow_ups``) tells what the row's status says, as recording it would."""
    found = {
        RtlFollowUp.Status.DONE: {"done"},
        RtlFollowUp.Status.PARTIAL: {"in_progress"},
        RtlFollowUp.Status.NOT_DONE: {"planned", "in_progress"},
    }
    for follow_up in RtlFollowUp.objects.exclude(status=RtlFollowUp.Status.PENDING).select_related(
        "rtl_action__meeting"
    ):
        action = follow_up.rtl_action
        latest = action.follow_ups.exclude(status=RtlFollowUp.Status.PENDING).order_by("-month")[0]
        assert action.status in found[latest.status]
        assert follow_up.recorded_at.date() >= action.meeting.end_date


# --- the award score sheet -------------------------------------------------------------------------------


@pytest.mark.parametrize("category", list(CATEGORY_KIND))
def test_demo_score_sheet_ranks_every_jambi_candidate_apart(loaded, category):
    sheet = score_sheet("15", 2022, category)
    scores = [row.score for row in sheet.rows]

    assert sheet.enrolled_only
    assert len(scores) == 6
    assert all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({round(score, 2) for score in scores}) == len(scores)
    assert all(row.n_activities > 0 for row in sheet.rows)


def test_demo_awards_follow_the_sheet_or_say_why_not(loaded):
    awards = list(Award.objects.filter(province_id="15", year=2022))

    for award in awards:
        top = ranking("15", 2022, award.category)
        if top[award.rank - 1] == award.library_id:
            assert award.jury_reason == ""
        else:
            assert award.jury_reason.strip()
    # The demo shows both: the jury followed the sheet for the village libraries, not for the regencies.
    reasons = {a.category: bool(a.jury_reason) for a in awards}
    assert reasons == {
        Award.Category.BEST_VILLAGE_LIBRARY: False,
        Award.Category.BEST_REGENCY_LIBRARY: True,
    }


def test_demo_score_sheet_page_for_the_jambi_officer(loaded, client):
    client.force_login(_user("jambi@demo.test"))

    response = client.get(reverse("reports:award_scores"), {"year": 2022})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Dinas Perpustakaan dan Arsip Kota Jambi") < body.index(
        "Dinas Perpustakaan dan Arsip Daerah Kabupaten Kerinci"
    )
    assert body.index("Perpustakaan Desa Mendalo Darat") < body.index(
        "Perpustakaan Desa Teluk Pandak"
    )
