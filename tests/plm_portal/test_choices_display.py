"""ChoiceLabels.get_FOO_display(): the label Django would give, in the request's language, built once."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation

from meetings.models import Meeting
from plm_portal.choices_display import ChoiceLabels


def _choice_fields():
    for model in apps.get_models():
        if issubclass(model, ChoiceLabels):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_choice_label_matches_djangos_in_both_languages():
    checked = 0
    for model, field in _choice_fields():
        for value, _ in field.flatchoices:
            row = model(**{field.attname: value})
            for language in ("id", "en"):
                with translation.override(language):
                    ours = getattr(row, f"get_{field.name}_display")()
                    django = models.Model._get_FIELD_display(row, field)
                    assert ours == django, (model.__name__, field.name, value, language)
            checked += 1
    assert checked > 40


def test_unknown_value_shows_itself_and_label_follows_the_language():
    meeting = Meeting(status="hilang")
    assert meeting.get_status_display() == "hilang"

    meeting.status = Meeting.Status.CANCELLED
    with translation.override("id"):
        indonesian = meeting.get_status_display()
    with translation.override("en"):
        english = meeting.get_status_display()
    assert indonesian != english
