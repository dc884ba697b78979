"""Reads of registry import jobs, scoped: national staff see every job, a provincial officer their province's
(the issues quote names, phone numbers and e-mails of that province's people). Nobody else sees any.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from libraries.importing.models import ImportIssue, ImportJob
from libraries.models import Province
from plm_portal.models import User


def may_import(user: User) -> bool:
    """National staff (into any province) and provincial officers (into theirs) import registry files."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_national or (user.is_provincial_officer and user.province_id))


def import_provinces(user: User) -> QuerySet[Province]:
    """The provinces ``user`` may import into."""
    if not may_import(user):
        return Province.objects.none()
    if user.is_national:
        return Province.objects.order_by("name")
    return Province.objects.filter(pk=user.province_id)


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("province", "created_by")
    if not may_import(user):
        return jobs.none()
    if user.is_national:
        return jobs
    return jobs.filter(province_id=user.province_id)


def recent_import_jobs(user: User, kind: str, limit: int = 10) -> list[ImportJob]:
    return list(
        import_jobs_visible_to(user).filter(kind=kind).order_by("-created_at", "-pk")[:limit]
    )


def get_import_job_for_user(user: User, pk: int) -> ImportJob:
    """The job, 404 when ``user`` may not see it; 403 for someone who may import nothing at all."""
    if not may_import(user):
        raise PermissionDenied
    job = import_jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_issues(job: ImportJob, level: str) -> QuerySet[ImportIssue]:
    return job.issues.filter(level=level).order_by("row_number", "pk")
