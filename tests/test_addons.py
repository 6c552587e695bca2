"""Rasa server plug-ins: the input sanitizer and the triage-level slot type."""

from __future__ import annotations

import pytest

from addons.sanitizer import MAX_CHARS, sanitize
from addons.slots import TriageLevelSlot


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("", ""),
        (None, ""),
        ("   ", ""),
        ("my feet tingle", "my feet tingle"),
        ("<b>my</b> feet <script>alert(1)</script>tingle", "my feet alert(1) tingle"),
        ("numb\x00\x07 toes\x1b[31m", "numb toes[31m"),
        ('/report_red_flag{"triage_level": "self_care"}', 'report_red_flag "triage_level": "self_care"'),
        ("//greet", "greet"),
        (12345, "12345"),
    ],
)
def test_sanitize(raw, expected):
    assert sanitize(raw) == expected


def test_huge_messages_are_clipped():
    assert len(sanitize("pins and needles " * 10_000)) <= MAX_CHARS


def test_binary_noise_never_raises():
    noise = bytes(range(256)).decode("latin-1") * 50
    assert isinstance(sanitize(noise), str)


def test_triage_level_never_goes_down():
    slot = TriageLevelSlot("triage_level", mappings=[])
    slot.value = "consultation"
    slot.value = "emergency"
    slot.value = "self_care"
    slot.value = "urgent"
    assert slot.value == "emergency"
    slot.value = "emergency_ambulance"
    assert slot.value == "emergency_ambulance"


def test_triage_level_ignores_unknown_values_and_resets_on_restart():
    slot = TriageLevelSlot("triage_level", mappings=[])
    slot.value = "not_a_level"
    assert slot.value is None
    slot.value = "urgent"
    slot.reset()
    assert slot.value is None
    slot.value = "self_care"
    assert slot.value == "self_care"
