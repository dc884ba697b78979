"""The programme over the years: which libraries take part, their implementation work, and impact stories."""

from programs.models.activities import Activity, ActivityPhoto
from programs.models.stories import ImpactStory
from programs.models.year import Enrollment, EnrollmentChange, ProgrammeYear

__all__ = [
    "Activity",
    "ActivityPhoto",
    "Enrollment",
    "EnrollmentChange",
    "ImpactStory",
    "ProgrammeYear",
]
