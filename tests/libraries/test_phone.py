from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from libraries.models import Person
from libraries.phone import last_digits, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "081234567890",
        "62812 3456 7890",
        "6281234567890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+62 (0) 812 3456 7890",
        "  0812-3456-7890\n",
    ],
)
def test_normalize_phone_mobile_typed_any_usual_way(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_normalize_phone_mobile_without_leading_zero():
    assert normalize_phone("812345678901") == "+62812345678901"


@pytest.mark.parametrize("raw", ["0741-123456", "(0741) 123456", "62741123456", "+62 741 123456"])
def test_normalize_phone_landline(raw):
    assert normalize_phone(raw) == "+62741123456"


@pytest.mark.parametrize("raw", ["0062 812 3456 7890", "00-62-812-3456-7890"])
def test_normalize_phone_international_dialling_prefix(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_normalize_phone_pasted_with_invisible_marks_and_unicode_dashes():
    # What copying a number out of WhatsApp on Android produces.
    raw = "\u202a+62 812\u20113456\u20137890\u202c"

    assert normalize_phone(raw) == "+6281234567890"


def test_normalize_phone_full_width_digits():
    # Full-width forms sit 0xFEE0 above their ASCII counterparts.
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in "0812-3456-7890")

    assert normalize_phone(full_width) == "+6281234567890"


@pytest.mark.parametrize("raw", ["81234567890.0", 81234567890.0, 81234567890])
def test_normalize_phone_spreadsheet_number_keeps_its_digits(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", None])
def test_normalize_phone_blank_returns_empty(raw):
    assert normalize_phone(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "+62",
        "0",
        "0062",
        "0812345",
        "08123456789012345",
        "+1 202 555 0123",
        "1234567890",
        "0812/3456/7890",
        "0812 3456 7890 (WA)",
        "0812-3456-7890, 0813-1111-2222",
    ],
)
def test_normalize_phone_junk_raises_validation_error(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)

    assert excinfo.value.code == "invalid_phone"
    assert excinfo.value.messages == [f"Nomor HP tidak valid: {raw}"]


def test_normalize_phone_longest_mobile_fits_person_phone_field():
    longest_mobile = normalize_phone("0812-3456-78901")

    assert longest_mobile == "+62812345678901"
    assert len(longest_mobile) <= Person._meta.get_field("phone").max_length


def test_last_digits_default_four():
    assert last_digits("+6281234567890") == "7890"


def test_last_digits_ignores_separators():
    assert last_digits("0812-3456-7890", n=6) == "567890"


def test_last_digits_shorter_number_returns_all_digits():
    assert last_digits("+62812", n=10) == "62812"


def test_last_digits_blank_returns_empty():
    assert last_digits("") == ""


def test_last_digits_zero_returns_empty():
    assert last_digits("+6281234567890", n=0) == ""


def test_last_digits_negative_raises():
    with pytest.raises(ValueError, match="n must not be negative"):
        last_digits("+6281234567890", n=-1)
