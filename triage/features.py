"""Turns findings and descriptors into the tri-state features the table's rules use.

A feature is True (present), False (absent) or None (unknown). Findings map to
themselves; descriptors become one feature per value (``onset_sudden``), so the
table can reason about them exactly like yes/no findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

from triage.contract import DESCRIPTORS, FINDINGS, LOCATION_PATTERNS
from triage.duration import parse_duration_days
from triage.location import classify_location

Tri = Optional[bool]

# Duration bands, in days: under 3 days is "short", 3 days to 3 months "weeks", beyond "long".
SHORT_DAYS = 3.0
LONG_DAYS = 90.0

DERIVED_FEATURES: Tuple[str, ...] = (
    "onset_sudden",
    "onset_gradual",
    "side_one",
    "side_both",
    "progression_worsening",
    "progression_stable",
    "progression_improving",
    "progression_comes_and_goes",
    "duration_short",
    "duration_weeks",
    "duration_long",
    "age_under_40",
    "age_over_50",
    "age_over_65",
    "sex_female",
    "sex_male",
) + tuple(f"pattern_{p}" for p in LOCATION_PATTERNS if p != "unclassified")

ALL_FEATURES: FrozenSet[str] = frozenset(FINDINGS) | frozenset(DERIVED_FEATURES)


@dataclass(frozen=True)
class Findings:
    """What is known about one person: yes/no findings plus free-text descriptors.

    ``flags`` holds only known findings (True present, False absent); a finding
    that is missing is unknown. ``unsure`` names findings the person was asked
    about and answered "not sure".
    """

    flags: Mapping[str, bool] = field(default_factory=dict)
    unsure: FrozenSet[str] = frozenset()
    location: str | None = None
    side: str | None = None
    onset: str | None = None
    duration: str | None = None
    progression: str | None = None
    pattern: str | None = None
    age: int | None = None
    sex: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.flags) - set(FINDINGS)
        if unknown:
            raise ValueError(f"unknown finding(s): {sorted(unknown)}")
        for name, allowed in DESCRIPTORS.items():
            value = getattr(self, name)
            if allowed is not None and value is not None and value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {value!r}")

    def get(self, finding: str) -> Tri:
        """True, False or None (unknown) for one finding."""
        return self.flags.get(finding)


def _one_hot(prefix: str, value: str | None, values: Tuple[str, ...]) -> Dict[str, Tri]:
    return {f"{prefix}_{v}": (None if value is None else value == v) for v in values}


def derive_features(findings: Findings) -> Dict[str, Tri]:
    """Every feature in ``ALL_FEATURES`` with its tri-state value."""
    features: Dict[str, Tri] = {name: findings.get(name) for name in FINDINGS}
    features.update(_one_hot("onset", findings.onset, ("sudden", "gradual")))
    features.update(_one_hot("progression", findings.progression, DESCRIPTORS["progression"] or ()))
    features.update(_one_hot("sex", findings.sex, ("female", "male")))

    side = findings.side
    pattern = classify_location(findings.location, side)
    if side is None and pattern.implied_side is not None:
        side = pattern.implied_side
    features["side_one"] = None if side is None else side in ("left", "right")
    features["side_both"] = None if side is None else side == "both"
    for p in LOCATION_PATTERNS:
        if p != "unclassified":
            features[f"pattern_{p}"] = None if pattern.name == "unclassified" else pattern.name == p

    days = parse_duration_days(findings.duration)
    features["duration_short"] = None if days is None else days < SHORT_DAYS
    features["duration_weeks"] = None if days is None else SHORT_DAYS <= days < LONG_DAYS
    features["duration_long"] = None if days is None else days >= LONG_DAYS

    age = findings.age
    features["age_under_40"] = None if age is None else age < 40
    features["age_over_50"] = None if age is None else age > 50
    features["age_over_65"] = None if age is None else age > 65
    return features
