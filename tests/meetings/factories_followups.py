"""Follow-ups for RTL rows made by the factories (which bypass the services that add them)."""

from __future__ import annotations

from meetings.models import RtlAction, RtlFollowUp
from meetings.services.follow_ups import create_follow_ups
from tests.factories import RtlActionFactory


def with_follow_ups(action: RtlAction) -> RtlAction:
    """``action`` with its three follow-ups, due after its meeting as the services make them."""
    create_follow_ups(actions=[action])
    return action


def rtl_row(**fields) -> RtlAction:
    """An RTL row (RtlActionFactory) with its three follow-ups."""
    return with_follow_ups(RtlActionFactory(**fields))


def follow_up(action: RtlAction, month: int) -> RtlFollowUp:
    return RtlFollowUp.objects.get(rtl_action=action, month=month)
