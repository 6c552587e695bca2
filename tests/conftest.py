"""Shared fixtures: the real table, and a way to build findings from feature names."""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from triage.contract import FINDINGS  # noqa: E402
from triage.features import Findings  # noqa: E402
from triage.table import Table, load_table  # noqa: E402

# Descriptor values that make one derived feature true.
FEATURE_DESCRIPTORS: Dict[str, Dict[str, Any]] = {
    "onset_sudden": {"onset": "sudden"},
    "onset_gradual": {"onset": "gradual"},
    "side_one": {"side": "left"},
    "side_both": {"side": "both"},
    "progression_worsening": {"progression": "worsening"},
    "progression_stable": {"progression": "stable"},
    "progression_improving": {"progression": "improving"},
    "progression_comes_and_goes": {"progression": "comes_and_goes"},
    "duration_short": {"duration": "since yesterday"},
    "duration_weeks": {"duration": "3 weeks"},
    "duration_long": {"duration": "6 months"},
    "age_under_40": {"age": 30},
    "age_over_50": {"age": 60},
    "age_over_65": {"age": 75},
    "sex_female": {"sex": "female"},
    "sex_male": {"sex": "male"},
    "pattern_stocking": {"location": "both feet, rising up to the ankles like socks"},
    "pattern_radicular": {"location": "from my lower back down the back of my left leg"},
    "pattern_tarsal": {"location": "the sole of my left foot"},
    "pattern_hemibody": {"location": "my whole left side, arm and leg"},
    "pattern_patchy": {"location": "patches on my thighs that move around"},
    "pattern_toes_only": {"location": "just my toes"},
    "pattern_whole_leg": {"location": "my whole right leg"},
}


def findings_for(terms: Iterable[str], **flags: bool) -> Findings:
    """Findings in which every positive term holds; ``!x`` terms are left unknown."""
    values: Dict[str, Any] = {}
    present: Dict[str, bool] = dict(flags)
    for term in terms:
        if term.startswith("!"):
            continue
        if term in FINDINGS:
            present.setdefault(term, True)
        else:
            for key, value in FEATURE_DESCRIPTORS[term].items():
                if key == "location" and "location" in values:
                    value = f"{values['location']}; {value}"
                values[key] = value
    return Findings(flags=present, **values)


@pytest.fixture(scope="session")
def table() -> Table:
    return load_table()
