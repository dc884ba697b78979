"""The access walk's table: every URL name of the portal, how to fill its arguments, and who may open it.

``tests/test_access_walk.py`` enumerates the URL resolver and looks every pattern up here; a name missing from
``CASES`` fails the run ("new URL: list it in the access walk"). Each entry says

- ``policy``: which roles may use the URL, for an object of the officer's own province ("own", Jambi) and of
  another province ("other", Riau). The roles are those of ``tests/roles.py``. The world is symmetric: the Jambi
  meeting is assigned to ``facilitator`` and the Riau meeting to ``other_facilitator``, so for an "other" object
  the insiders are ``other_officer`` and ``other_facilitator``, and the outsiders ``officer`` and ``facilitator``.
- ``kwargs``: a function ``(world, side) -> dict`` filling the pattern's arguments (``side`` is "own" or
  "other"); URL names without an object are walked once (side "none").
- ``methods``: the methods the view accepts; the walk sends both GET and POST (empty body) everywhere, and a
  method outside this set must answer 405 to anyone allowed (a refusal to anyone else).
- ``acts``: a POST without a body is a complete request (delete, publish, rotate, retry, log out...), so an
  allowed POST may change rows; any other allowed POST with an empty body must change nothing (a form error).
- ``may_404``: an allowed request may still answer 404 (a file that the world does not have, a secret link's
  unknown key...).
- ``queries``: query strings to try (each one is a case), default just "".

Left out on purpose (see ``excluded``): Django admin internals other than the index and the model lists (the
add/change/delete/history pages are Django's own, behind the same ``is_staff`` + model-permission check), and
admin's catch-all pattern. allauth's pages are all listed: they must answer without a 5xx for every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROLES_INSIDE = {"own": ("officer", "facilitator"), "other": ("other_officer", "other_facilitator")}
SIGNED_IN = ("national", "officer", "other_officer", "facilitator", "other_facilitator")


def _inside(side: str, *kinds: str) -> set[str]:
    """The insiders of an object on ``side``: its province's officer and/or its meeting's facilitator."""
    officer, facilitator = ROLES_INSIDE[side]
    return {{"officer": officer, "facilitator": facilitator}[kind] for kind in kinds}


# --- policies: (role, side) -> allowed -------------------------------------------------------------------


def public(role: str, side: str, query: str = "") -> bool:
    return True


def signed_in(role: str, side: str, query: str = "") -> bool:
    return role != "anonymous"


def national(role: str, side: str, query: str = "") -> bool:
    return role == "national"


def officers(role: str, side: str, query: str = "") -> bool:
    """National staff and provincial officers (any province): pages with no object, scoped inside."""
    return role in {"national", "officer", "other_officer"}


def province_write(role: str, side: str, query: str = "") -> bool:
    """National staff and the object's own provincial officer."""
    return role == "national" or role in _inside(side, "officer")


def meeting_read(role: str, side: str, query: str = "") -> bool:
    """National staff, the meeting's provincial officer and its assigned facilitator."""
    return role == "national" or role in _inside(side, "officer", "facilitator")


def owner(role: str, side: str, query: str = "") -> bool:
    """Only who asked for it (an export): the object's own officer, not even national staff."""
    return role in _inside(side, "officer")


def province_in_query(role: str, side: str, query: str = "") -> bool:
    """Options for a form: ``?province=`` of the side's province, or none (the officer's own)."""
    if "province=" in query:
        return province_write(role, side)
    return officers(role, side)


def export_dataset(role: str, side: str, query: str = "") -> bool:
    """The walk exports "people" for "own" (officers and national staff only) and a meeting dataset for
    "other" (every signed-in user, rows kept to their scope)."""
    return officers(role, side) if side == "own" else signed_in(role, side)


def admin(role: str, side: str, query: str = "") -> bool:
    return role == "national"  # the only is_staff role


# --- argument builders ----------------------------------------------------------------------------------


def none(world: Any, side: str) -> dict:
    return {}


def pk(attr: str) -> Callable[[Any, str], dict]:
    return lambda world, side: {"pk": getattr(world.side(side), attr).pk}


def meeting_and(kwarg: str, attr: str) -> Callable[[Any, str], dict]:
    return lambda world, side: {
        "pk": world.side(side).meeting.pk,
        kwarg: getattr(world.side(side), attr).pk,
    }


@dataclass(frozen=True)
class Case:
    policy: Callable[..., bool]
    kwargs: Callable[[Any, str], dict] = none
    methods: frozenset[str] = frozenset({"GET"})
    acts: bool = False
    may_404: bool = False
    queries: tuple[str, ...] | Callable[[Any, str], tuple[str, ...]] = ("",)
    denied_redirect_ok: bool = (
        False  # a refused signed-in user may be sent to a login page (Django admin)
    )
    sided: bool = (
        False  # walked for "own" and "other" even without a path argument (a query names the side)
    )

    @property
    def with_sides(self) -> bool:
        return self.sided or self.kwargs is not none

    def queries_for(self, world: Any, side: str) -> tuple[str, ...]:
        return self.queries(world, side) if callable(self.queries) else self.queries


GET = frozenset({"GET"})
POST = frozenset({"POST"})
BOTH = frozenset({"GET", "POST"})

MEETING = pk("meeting")
SESSION = meeting_and("session_pk", "session")
PARTICIPATION = meeting_and("participation_pk", "participation")
RTL = meeting_and("action_pk", "rtl")
AWARD = meeting_and("award_pk", "award")
REPORT = meeting_and("report_pk", "report")


def token(world: Any, side: str) -> dict:
    return {"token": world.side(side).meeting.checkin_token}


def province_query(world: Any, side: str) -> tuple[str, ...]:
    return ("", f"?province={world.side(side).province.code}")


def province_code(world: Any, side: str) -> dict:
    return {"code": world.side(side).province.code}


CASES: dict[str, Case] = {
    # plm_portal and the dashboards
    "home": Case(signed_in),
    "waves": Case(national),
    "dashboard": Case(signed_in),
    # Aggregates without personal data: every signed-in user, any province.
    "dashboard_province": Case(signed_in, province_code),
    "healthz": Case(public),
    "favicon": Case(public, methods=BOTH),
    "set_language": Case(public, methods=BOTH, acts=True),
    "route:accounts/email/": Case(public, may_404=True, methods=BOTH),
    # meetings
    "meetings:meeting_list": Case(signed_in),
    "meetings:meeting_new": Case(officers, methods=BOTH),
    "meetings:regency_options": Case(province_in_query, sided=True, queries=province_query),
    "meetings:meeting_detail": Case(meeting_read, MEETING),
    "meetings:meeting_edit": Case(province_write, MEETING, methods=BOTH),
    "meetings:meeting_history": Case(national, MEETING),
    "meetings:agenda": Case(meeting_read, MEETING),
    "meetings:agenda_new": Case(province_write, MEETING, methods=BOTH),
    "meetings:agenda_row": Case(meeting_read, SESSION),
    "meetings:agenda_edit": Case(province_write, SESSION, methods=BOTH),
    "meetings:agenda_delete": Case(province_write, SESSION, methods=POST, acts=True),
    "meetings:agenda_move": Case(province_write, SESSION, methods=POST, acts=True),
    "meetings:participants": Case(meeting_read, MEETING),
    "meetings:participants_search": Case(province_write, MEETING, queries=("", "?q=Rahasia")),
    "meetings:participants_add": Case(province_write, MEETING, methods=BOTH),
    "meetings:participants_new": Case(province_write, MEETING, methods=BOTH),
    "meetings:participants_edit": Case(province_write, PARTICIPATION, methods=BOTH),
    "meetings:participants_delete": Case(province_write, PARTICIPATION, methods=BOTH, acts=True),
    "meetings:participants_import": Case(province_write, MEETING, methods=BOTH),
    "meetings:participants_import_confirm": Case(province_write, MEETING, methods=POST),
    "meetings:participants_import_template": Case(province_write, MEETING),
    "meetings:attendance": Case(meeting_read, MEETING),
    "meetings:attendance_toggle": Case(meeting_read, MEETING, methods=POST),
    "meetings:checkin_qr": Case(meeting_read, MEETING),
    "meetings:checkin_token_rotate": Case(province_write, MEETING, methods=POST, acts=True),
    "meetings:rtl": Case(meeting_read, MEETING),
    "meetings:rtl_new": Case(province_write, MEETING, methods=BOTH),
    "meetings:rtl_row": Case(meeting_read, RTL),
    "meetings:rtl_edit": Case(province_write, RTL, methods=BOTH),
    "meetings:rtl_progress": Case(province_write, RTL, methods=BOTH),
    "meetings:rtl_delete": Case(province_write, RTL, methods=POST, acts=True),
    "meetings:rtl_follow_up": Case(province_write, RTL, methods=BOTH),
    "meetings:follow_ups_due": Case(officers),
    "meetings:awards": Case(meeting_read, MEETING),
    "meetings:awards_new": Case(province_write, MEETING, methods=BOTH),
    "meetings:awards_row": Case(meeting_read, AWARD),
    "meetings:awards_edit": Case(province_write, AWARD, methods=BOTH),
    "meetings:awards_delete": Case(province_write, AWARD, methods=POST, acts=True),
    # self check-in: the secret link is the key, for anyone who holds it
    "checkin:start": Case(public, token, methods=BOTH),
    "checkin:search": Case(public, token, queries=("", "?q=Rah")),
    # libraries and people
    "libraries:library_list": Case(signed_in),
    "libraries:library_new": Case(officers, methods=BOTH),
    "libraries:library_place_options": Case(officers),
    "libraries:library_picker_options": Case(
        signed_in, queries=("", "?province=15", "?province=14")
    ),
    "libraries:library_detail": Case(meeting_read, pk("library")),
    "libraries:library_edit": Case(province_write, pk("library"), methods=BOTH),
    "libraries:library_history": Case(national, pk("library")),
    # A logo is not personal data: any signed-in user; the world's libraries have none (404).
    "libraries:library_logo": Case(signed_in, pk("library"), may_404=True),
    "libraries:person_list": Case(officers),
    "libraries:person_new": Case(officers, methods=BOTH),
    "libraries:person_library_options": Case(officers),
    "libraries:person_detail": Case(meeting_read, pk("person")),
    "libraries:person_edit": Case(province_write, pk("person"), methods=BOTH),
    "libraries:person_history": Case(national, pk("person")),
    "libraries:library_import": Case(officers, methods=BOTH),
    "libraries:person_import": Case(officers, methods=BOTH),
    "libraries:import_job": Case(province_write, pk("import_job")),
    "libraries:import_mapping": Case(province_write, pk("import_job"), methods=POST),
    "libraries:import_check": Case(province_write, pk("import_job"), methods=POST, acts=True),
    "libraries:import_apply": Case(province_write, pk("import_job"), methods=POST, acts=True),
    "libraries:import_template": Case(
        officers, lambda world, side: {"kind": {"own": "libraries", "other": "people"}[side]}
    ),
    # programme
    "programs:enrollment_list": Case(officers),
    "programs:enrollment_new": Case(officers, methods=BOTH),
    "programs:enrollment_library_options": Case(officers),
    "programs:enrollment_edit": Case(province_write, pk("enrollment"), methods=BOTH),
    "programs:enrollment_delete": Case(national, pk("enrollment"), methods=POST, acts=True),
    "programs:activity_list": Case(officers),
    "programs:activity_new": Case(officers, methods=BOTH),
    "programs:activity_detail": Case(province_write, pk("activity")),
    "programs:activity_edit": Case(province_write, pk("activity"), methods=BOTH),
    "programs:activity_delete": Case(province_write, pk("activity"), methods=POST, acts=True),
    "programs:activity_photo": Case(province_write, pk("photo"), may_404=True),
    "programs:activity_photo_delete": Case(province_write, pk("photo"), methods=POST, acts=True),
    "programs:story_list": Case(officers),
    "programs:story_new": Case(officers, methods=BOTH),
    # Published stories (consent given) are for every signed-in user; the person stays anonymous.
    "programs:story_published": Case(signed_in),
    "programs:story_published_detail": Case(signed_in, pk("story")),
    "programs:story_people_options": Case(officers),
    "programs:story_activity_options": Case(officers),
    "programs:story_scope_fields": Case(officers),
    "programs:story_detail": Case(province_write, pk("story")),
    "programs:story_edit": Case(province_write, pk("story"), methods=BOTH),
    "programs:story_verify": Case(province_write, pk("story"), methods=POST, acts=True),
    "programs:story_publish": Case(national, pk("story"), methods=POST, acts=True),
    "programs:story_unpublish": Case(national, pk("story"), methods=POST, acts=True),
    "programs:story_photo": Case(province_write, pk("story"), may_404=True),
    # reports
    "reports:award_scores": Case(officers),
    "reports:meeting_reports": Case(meeting_read, MEETING),
    "reports:report_request": Case(meeting_read, MEETING, methods=POST),
    "reports:report_status": Case(meeting_read, REPORT),
    "reports:report_retry": Case(meeting_read, REPORT, methods=POST, acts=True),
    "reports:report_download": Case(meeting_read, REPORT, may_404=True),
    "reports:exports": Case(signed_in),
    "reports:export_csv": Case(
        export_dataset,
        lambda world, side: {"dataset": {"own": "people", "other": "participants"}[side]},
        may_404=True,
    ),
    # An empty POST asks for the whole list in the user's scope: it queues an export (acts).
    "reports:export_xlsx": Case(
        export_dataset,
        lambda world, side: {"dataset": {"own": "people", "other": "attendance"}[side]},
        methods=POST,
        acts=True,
    ),
    "reports:export_status": Case(owner, pk("export")),
    "reports:export_retry": Case(owner, pk("export"), methods=POST, acts=True),
    "reports:export_download": Case(owner, pk("export"), may_404=True),
    # a person's data rights (UU PDP): national staff only; an export may be recorded (acts)
    "reports:personal_data": Case(national, pk("person")),
    "reports:personal_data_json": Case(national, pk("person"), methods=POST, acts=True),
    "reports:personal_data_pdf": Case(national, pk("person"), methods=POST, acts=True),
    "reports:personal_data_erase": Case(national, pk("person"), methods=BOTH),
    # users (national staff only)
    "users:user_list": Case(national),
    "users:user_invite": Case(national, methods=BOTH),
    "users:user_edit": Case(national, pk("user"), methods=BOTH),
    "users:user_resend": Case(national, pk("user"), methods=POST, acts=True),
    # allauth: public sign-in pages, and pages about one's own account (no object of anyone else)
    "account_login": Case(public, methods=BOTH),
    "account_logout": Case(public, methods=BOTH, acts=True),
    "account_inactive": Case(public),
    "account_signup": Case(public, methods=BOTH, may_404=True),
    "account_reauthenticate": Case(signed_in, methods=BOTH),
    "account_request_reauthentication_code": Case(signed_in, methods=BOTH, may_404=True),
    "account_confirm_reauthentication_code": Case(signed_in, methods=BOTH, may_404=True),
    "account_email": Case(public, methods=BOTH, may_404=True),
    "account_email_verification_sent": Case(public),
    "account_change_password": Case(signed_in, methods=BOTH),
    "account_set_password": Case(signed_in, methods=BOTH),
    "account_reset_password": Case(public, methods=BOTH),
    "account_confirm_login_code": Case(public, methods=BOTH, may_404=True),
    "account_confirm_email": Case(
        public, lambda world, side: {"key": f"no-such-key-{side}"}, methods=BOTH, may_404=True
    ),
    "account_reset_password_from_key_done": Case(public),
    "account_reset_password_from_key": Case(
        public,
        lambda world, side: {"uidb36": "zz", "key": f"no-such-key-{side}"},
        methods=BOTH,
        may_404=True,
    ),
    "account_reset_password_done": Case(public),
    "mfa_index": Case(signed_in),
    "mfa_authenticate": Case(public, methods=BOTH),
    "mfa_reauthenticate": Case(signed_in, methods=BOTH, may_404=True),
    "mfa_activate_totp": Case(signed_in, methods=BOTH),
    "mfa_deactivate_totp": Case(signed_in, methods=BOTH, may_404=True),
    "mfa_view_recovery_codes": Case(signed_in, may_404=True),
    "mfa_generate_recovery_codes": Case(signed_in, methods=BOTH, may_404=True),
    "mfa_download_recovery_codes": Case(signed_in, methods=BOTH, may_404=True),
    # Django admin: the index and each model's list (see the module docstring)
    "admin:index": Case(admin, methods=BOTH, denied_redirect_ok=True),
}

# A model list takes POST too (its actions); an empty POST runs none.
ADMIN_LIST_CASE = Case(admin, methods=BOTH, denied_redirect_ok=True)


def excluded(name: str) -> bool:
    """Admin internals the walk leaves to Django (documented above)."""
    if name.startswith("route:admin/"):
        return True  # admin's unnamed patterns (the catch-all, the old object URLs that redirect)
    if not name.startswith("admin:"):
        return False
    return name != "admin:index" and not name.endswith("_changelist")


def case_for(name: str) -> Case | None:
    if name in CASES:
        return CASES[name]
    if name.startswith("admin:") and name.endswith("_changelist"):
        return ADMIN_LIST_CASE
    return None
