"""Writes for implementation activities and their photos.

Every write takes the acting user as ``by`` and raises PermissionDenied, before anything is written, unless they
may write the activity's province. Photos arrive already checked and re-encoded (``programs.photos.Photo``);
their files live in private storage under random names and are removed only after the deleting transaction
commits (a rolled-back delete keeps them).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from plm_portal.access import can_write_province
from plm_portal.freshness import changed
from plm_portal.models import User
from programs.models import Activity, ActivityPhoto
from programs.photos import Photo

logger = logging.getLogger(__name__)

# Photos per activity: enough to show what happened, few enough for a report page and a weak connection.
MAX_PHOTOS = 5
# How long a form's one-time key is remembered: a retry after a dropped connection comes within minutes.


def too_many_photos_message(existing: int) -> str:
    return _(
        "Paling banyak %(max)d foto per kegiatan; kegiatan ini sudah punya %(count)d. "
        "Pilih fotonya lagi, paling banyak %(left)d."
    ) % {"max": MAX_PHOTOS, "count": existing, "left": max(MAX_PHOTOS - existing, 0)}


def _storage():
    return ActivityPhoto._meta.get_field("image").storage


def _delete_files(names: Sequence[str]) -> None:
    storage = _storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the disk refuses: the row is gone either way
            logger.warning("Could not delete activity photo file %s", name, exc_info=True)


def _check_can_write(by: User, *province_ids: str | None) -> None:
    if not all(can_write_province(by, province_id) for province_id in province_ids):
        raise PermissionDenied


@transaction.atomic
def save_activity(
    *,
    activity: Activity,
    by: User,
    photos: Sequence[Photo] = (),
    captions: Mapping[int, str] | None = None,
) -> Activity:
    """Create or update ``activity``, add ``photos`` to it and change the ``captions`` of its photos (by pk).

    Side effects: the activity row (``created_by`` set on create), one ActivityPhoto row and one private file
    per photo. Raises PermissionDenied when ``by`` may not write the province of the activity's library (or of
    its library before the change), ValidationError when the row is invalid or the photos would pass
    ``MAX_PHOTOS``; nothing is saved (and no file kept) in either case.
    """
    library = activity.library
    if activity.pk is None:
        _check_can_write(by, library.province_id)
        activity.created_by = by
    else:
        # Locked: two edits adding photos at once must not pass MAX_PHOTOS together.
        stored = (
            Activity.objects.select_for_update()
            .select_related("library")
            .filter(pk=activity.pk)
            .first()
        )
        if stored is None:
            raise ValidationError(_("Kegiatan ini sudah dihapus orang lain."))
        _check_can_write(by, library.province_id, stored.library.province_id)
    activity.full_clean()
    activity.save()
    changed("activities")  # the national activity list caches its totals

    existing = activity.photos.count()
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": too_many_photos_message(existing)})
    if captions:
        for photo in activity.photos.filter(pk__in=list(captions)):
            caption = captions[photo.pk].strip()
            if caption != photo.caption:
                photo.caption = caption
                photo.full_clean(exclude=["image"])
                photo.save(update_fields=["caption"])

    stored_names: list[str] = []
    try:
        for photo in photos:
            row = ActivityPhoto(
                activity=activity, width=photo.width, height=photo.height, uploaded_by=by
            )
            row.image.save("foto.jpg", ContentFile(photo.content), save=False)
            stored_names.append(row.image.name)
            row.save()
    except BaseException:
        _delete_files(
            stored_names
        )  # the rows roll back with the transaction; their files must go too
        raise
    # Should the transaction still roll back after this point (at commit), the files stay orphaned but
    # unreachable: no row names them and the names are random.
    return activity


@transaction.atomic
def delete_activity(*, activity: Activity, by: User) -> None:
    """Delete ``activity`` and its photos; the photo files go once the deletion commits."""
    _check_can_write(by, activity.library.province_id)
    names = list(activity.photos.values_list("image", flat=True))
    activity.delete()
    changed("activities")  # the national activity list caches its totals
    transaction.on_commit(partial(_delete_files, names))


@transaction.atomic
def delete_activity_photo(*, photo: ActivityPhoto, by: User) -> None:
    """Delete one photo of an activity; its file goes once the deletion commits."""
    _check_can_write(by, photo.activity.library.province_id)
    name = photo.image.name
    photo.delete()
    transaction.on_commit(partial(_delete_files, [name]))


# --- one-time form keys ----------------------------------------------------------------------------------
# A double tap or a retry on a weak connection posts the same form twice; each rendering of the form carries a
# random key, and the first post that claims it is the only one saved.
