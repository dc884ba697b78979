"""Bimtek trainings and Peer Learning Meetings: agenda, participants, attendance, follow-up plans and awards.

One module per part; every model is imported from here (``from meetings.models import Meeting``).
"""

from meetings.models.meeting import Meeting, Session, new_checkin_token
from meetings.models.outcomes import Award, RtlAction, RtlFollowUp
from meetings.models.people import Attendance, Participation

__all__ = [
    "Attendance",
    "Award",
    "Meeting",
    "Participation",
    "RtlAction",
    "RtlFollowUp",
    "Session",
    "new_checkin_token",
]
