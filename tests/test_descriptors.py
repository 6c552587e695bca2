"""Reading durations and locations as people say them."""

from __future__ import annotations

import pytest

from triage.duration import parse_duration_days
from triage.location import classify_location


@pytest.mark.parametrize(
    "text,days",
    [
        ("about 3 weeks", 21),
        ("since yesterday", 1),
        ("2-3 days", 3),
        ("two or three months", 90),
        ("a couple of months", 60),
        ("6 months", 180),
        ("this morning", 0.2),
        ("a fortnight", 14),
        ("for years", 400),
        ("last week", 7),
        ("1.5 years", 547.5),
        ("for months", 90),
        ("weeks now", 21),
        ("been going on for days", 3),
    ],
)
def test_durations(text, days):
    assert parse_duration_days(text) == pytest.approx(days, rel=0.01)


@pytest.mark.parametrize("text", [None, "", "not sure", "a while"])
def test_unreadable_durations_are_unknown(text):
    assert parse_duration_days(text) is None


@pytest.mark.parametrize(
    "text,side,pattern,implied",
    [
        ("both feet, creeping up to my ankles", None, "stocking", "both"),
        ("feet", None, "stocking", "both"),
        ("from my lower back down the back of my right leg", None, "radicular", "right"),
        ("left foot and shin", None, "radicular", "left"),
        ("outer edge of my left foot and little toe", None, "radicular", "left"),
        ("sole of my left foot", None, "tarsal", "left"),
        ("left arm and leg", None, "hemibody", "left"),
        ("my whole right side", None, "hemibody", "right"),
        ("patches on my thighs that move around", None, "patchy", None),
        ("just my toes", None, "toes_only", None),
        ("toes", None, "toes_only", None),
        ("my whole right leg", None, "whole_leg", "right"),
        ("foot", "both", "stocking", None),
        ("sole of the foot", "both", "stocking", None),
        ("knee", None, "unclassified", None),
        (None, None, "unclassified", None),
    ],
)
def test_location_patterns(text, side, pattern, implied):
    result = classify_location(text, side)
    assert result.name == pattern
    assert result.implied_side == implied
