"""Form plumbing shared by every app: Bootstrap classes, native date/time pickers, errors next to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` with the portal's Bootstrap templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's own date picker; it submits ISO dates whatever the display language."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PortalFormMixin:
    """Adds Bootstrap classes to widgets and marks fields with errors ``is-invalid``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = ""
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(field, forms.DateField) and not isinstance(widget, DateInput):
                field.widget = DateInput(attrs=widget.attrs)
            elif isinstance(field, forms.TimeField) and not isinstance(widget, TimeInput):
                field.widget = TimeInput(attrs=widget.attrs)
            if isinstance(field, forms.ModelChoiceField):
                field.to_python = _refusing_nul(field, field.to_python)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _refusing_nul(field: forms.ModelChoiceField, to_python):
    """``to_python`` of a choice field that refuses a NUL byte as an invalid choice: PostgreSQL refuses it in a
    query (a DataError, a 500), and text fields already refuse it (ProhibitNullCharactersValidator)."""

    def checked(value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
        return to_python(value)

    return checked


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass
