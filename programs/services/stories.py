"""Writes for impact stories: saving a story, and its workflow draft → verified → published.

Every write re-checks who may do it (the form and the view checked already; a service is also called from
elsewhere) and locks the row it changes, so two editors, or a double tap, never make two transitions. The
workflow actions are idempotent: verifying a verified story or publishing a published one changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plm_portal import freshness
from plm_portal.access import can_write_province
from plm_portal.models import User
from programs.models import ImpactStory
from programs.photos import Photo

# What an editor writes: changing any of these (or the photo) on a verified or published story sends it back
# to draft, so what national staff publish is always what the province verified.
CONTENT_FIELDS = (
    "library_id",
    "person_id",
    "anonymous",
    "alias",
    "activity_id",
    "title",
    "before",
    "after",
    "story",
    "change_skills",
    "change_income",
    "change_work",
    "change_community",
    "line_of_work",
    "date",
    "consent_given",
    "consent_date",
    "consent_method",
)
CONSENT_FIELDS = ("consent_given", "consent_date", "consent_method")


@dataclass(frozen=True)
class Transition:
    """The story after a workflow action, and whether the action changed anything (False: already done)."""

    story: ImpactStory
    changed: bool


def _check_editor(story: ImpactStory, by: User) -> None:
    if not can_write_province(by, story.library.province_id):
        raise PermissionDenied


def _check_relations(story: ImpactStory) -> None:
    """The person is of the library's province, the activity the library's own (the form offers no other)."""
    errors = {}
    if story.person_id and story.person.province_id != story.library.province_id:
        errors["person"] = _("Pilih orang dari provinsi perpustakaan ini.")
    if story.activity_id and story.activity.library_id != story.library_id:
        errors["activity"] = _("Pilih kegiatan dari perpustakaan ini.")
    if errors:
        raise ValidationError(errors)


def _locked(story: ImpactStory) -> ImpactStory:
    return ImpactStory.objects.select_for_update().select_related("library").get(pk=story.pk)


def _back_to_draft(story: ImpactStory) -> None:
    story.status = ImpactStory.Status.DRAFT
    story.verified_by = story.published_by = None
    story.verified_at = story.published_at = None


@transaction.atomic
def save_story(
    *, story: ImpactStory, by: User, photo: Photo | None = None, remove_photo: bool = False
) -> ImpactStory:
    """Create or change ``story`` (unsaved changes from the form) for ``by``.

    Side effects: records ``by`` as the writer of a new story and as whoever recorded the consent when the
    consent is given or its date or way changes (cleared when withdrawn); stores ``photo`` under a new random
    name (the old file is deleted after commit), or removes it; a verified or published story whose content
    changes goes back to draft, losing its verification and publication.
    """
    _check_editor(story, by)
    old = _locked(story) if story.pk else None
    if old is not None:
        _check_editor(old, by)  # the story's province before the change, too
    _check_relations(story)
    if not story.consent_given:
        story.consent_date, story.consent_method = None, ""
        story.consent_recorded_by = None
    elif old is None or any(getattr(old, f) != getattr(story, f) for f in CONSENT_FIELDS):
        story.consent_recorded_by = by
    if old is None:
        story.created_by = by
        story.status = ImpactStory.Status.DRAFT
    else:
        changed = photo is not None or (remove_photo and bool(old.photo))
        changed |= any(getattr(old, f) != getattr(story, f) for f in CONTENT_FIELDS)
        if changed and old.status != ImpactStory.Status.DRAFT:
            _back_to_draft(story)
    old_file = old.photo.name if old is not None and old.photo else ""
    if remove_photo and photo is None:
        story.photo = ""
    story.full_clean()
    if photo is not None:
        # Written only once the story is known to be valid: a refused story leaves no file behind.
        story.photo.save("photo.jpg", ContentFile(photo.content), save=False)
    story.save()
    if old_file and old_file != story.photo.name:
        storage = story.photo.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    freshness.changed("dashboard")  # the dashboards count published stories
    return story


@transaction.atomic
def verify_story(*, story: ImpactStory, by: User) -> Transition:
    """Mark a draft verified (by the province's officer or national staff); a story needs consent first."""
    story = _locked(story)
    _check_editor(story, by)
    if story.status != ImpactStory.Status.DRAFT:
        return Transition(story, changed=False)
    if not story.consent_given:
        raise ValidationError(
            _(
                "Cerita ini belum dapat diverifikasi: persetujuan narasumber belum dicatat. Ubah "
                "cerita dan isi persetujuannya dulu."
            ),
            code="no_consent",
        )
    story.status = ImpactStory.Status.VERIFIED
    story.verified_by, story.verified_at = by, timezone.now()
    story.full_clean()
    story.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    return Transition(story, changed=True)


@transaction.atomic
def publish_story(*, story: ImpactStory, by: User) -> Transition:
    """Publish a verified story (national staff only). Never without consent; a draft is verified first."""
    story = _locked(story)
    if not (by.is_authenticated and by.is_national):
        raise PermissionDenied
    if story.status == ImpactStory.Status.PUBLISHED:
        return Transition(story, changed=False)
    if not story.consent_given:
        raise ValidationError(
            _("Cerita tanpa persetujuan narasumber tidak dapat diterbitkan."), code="no_consent"
        )
    if story.status != ImpactStory.Status.VERIFIED:
        raise ValidationError(
            _("Cerita ini belum diverifikasi. Verifikasi dulu sebelum menerbitkan."),
            code="not_verified",
        )
    story.status = ImpactStory.Status.PUBLISHED
    story.published_by, story.published_at = by, timezone.now()
    story.full_clean()
    story.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    freshness.changed("dashboard")  # the dashboards count published stories
    return Transition(story, changed=True)


@transaction.atomic
def unpublish_story(*, story: ImpactStory, by: User) -> Transition:
    """Take a published story back to verified (national staff only); it stays verified, no longer shared."""
    story = _locked(story)
    if not (by.is_authenticated and by.is_national):
        raise PermissionDenied
    if story.status != ImpactStory.Status.PUBLISHED:
        return Transition(story, changed=False)
    story.status = ImpactStory.Status.VERIFIED
    story.published_by, story.published_at = None, None
    story.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    freshness.changed("dashboard")  # the dashboards count published stories
    return Transition(story, changed=True)
