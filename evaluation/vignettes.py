"""Vignettes: one simulated patient per YAML file in ``tests/vignettes/``.

A vignette holds the patient's first message, a fact sheet the simulated patient answers
from, and what a clinician expects the assistant to conclude. Every id is checked against
``triage/contract.py`` so a renamed finding, level or cause fails loudly.

Schema (one mapping per file)::

    id: str                      # equals the file name without .yml
    opening: str                 # the patient's first message
    facts: {finding: bool, descriptor: value}   # a finding not listed is unknown
    expected_triage: level id
    acceptable_triage: [level ids]              # includes expected_triage
    expected_causes: [cause ids]                # first is the main one; may be empty (off-topic)
    emergency_turn: bool         # the red flag is in the opening: level due after turn 1
    notes: str                   # short clinical rationale
    tags: [str]                  # optional: coverage labels (see TAGS, RED_FLAG_TAGS)
    answers: {slot: str}         # optional: the patient's own words for one slot
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

import yaml

from evaluation import REPO_ROOT
from triage.contract import CAUSE_IDS, DESCRIPTORS, FINDINGS, TriageLevel
from triage.table import load_table

DEFAULT_VIGNETTE_DIR = REPO_ROOT / "tests" / "vignettes"

LEVEL_IDS: Tuple[str, ...] = tuple(level.value for level in TriageLevel)
EMERGENCY_LEVELS: Tuple[str, ...] = (
    TriageLevel.EMERGENCY_AMBULANCE.value,
    TriageLevel.EMERGENCY.value,
)

# The grouped red-flag screen slot and the findings it covers.
SCREEN_SLOT = "screen_emergency"
# The signs the grouped screen question lists, as the table defines them.
SCREEN_FINDINGS: Tuple[str, ...] = tuple(load_table().questions["screen_emergency"].covers)

# Coverage labels. ``red_flag:<name>`` names the red flag of red-flags.md a vignette exercises.
TAGS: Tuple[str, ...] = (
    "negation",
    "family_history",
    "hypothetical",
    "vague_opening",
    "atypical_wording",
    "self_care",
    "off_topic",
    "unsure_answers",
)
RED_FLAG_TAGS: Tuple[str, ...] = (
    "stroke_tia",
    "tia_resolved",
    "cauda_equina_saddle",
    "cauda_equina_bladder",
    "cauda_equina_both_legs_back_pain",
    "acute_limb_ischaemia",
    "pulmonary_embolism",
    "deep_vein_thrombosis",
    "gbs_severe",
    "gbs_early",
    "spinal_injury",
    "metastatic_cord_compression",
    "spinal_infection",
    "worsening_weakness",
    "foot_drop",
    "sensory_level",
    "chest_pain",
    "breathing_difficulty",
)

FactValue = Union[bool, int, str]
REQUIRED_KEYS = (
    "id",
    "opening",
    "facts",
    "expected_triage",
    "acceptable_triage",
    "expected_causes",
    "emergency_turn",
    "notes",
)
OPTIONAL_KEYS = ("tags", "answers")


class VignetteError(ValueError):
    """A vignette file is malformed; the message names the file and every problem."""


@dataclass(frozen=True)
class Vignette:
    """One simulated patient and the clinician's expectations."""

    id: str
    opening: str
    facts: Mapping[str, FactValue]
    expected_triage: str
    acceptable_triage: Tuple[str, ...]
    expected_causes: Tuple[str, ...]
    emergency_turn: bool
    notes: str
    tags: Tuple[str, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None

    def finding(self, name: str) -> bool | None:
        """True, False, or None when the patient does not know."""
        value = self.facts.get(name)
        return value if isinstance(value, bool) else None

    def descriptor(self, name: str) -> FactValue | None:
        """A descriptor's value, or None when the patient does not know."""
        return self.facts.get(name)

    @property
    def is_emergency(self) -> bool:
        """The clinician expects an emergency department or an ambulance."""
        return self.expected_triage in EMERGENCY_LEVELS

    @property
    def main_cause(self) -> str | None:
        """The cause that should rank first, or None for off-topic vignettes."""
        return self.expected_causes[0] if self.expected_causes else None


def urgency(level: str | None) -> int:
    """Higher is more urgent; -1 for a missing or unknown level."""
    if level not in LEVEL_IDS:
        return -1
    return TriageLevel(level).urgency


def _check_facts(facts: Any) -> List[str]:
    if not isinstance(facts, dict) or not facts:
        return ["facts: must be a non-empty mapping"]
    problems: List[str] = []
    for name, value in facts.items():
        if name in FINDINGS:
            if not isinstance(value, bool):
                problems.append(f"facts.{name}: must be true or false, got {value!r}")
        elif name in DESCRIPTORS:
            allowed = DESCRIPTORS[name]
            if name == "age":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 120:
                    problems.append(f"facts.age: must be a whole number of years, got {value!r}")
            elif allowed is not None:
                if value not in allowed:
                    problems.append(f"facts.{name}: must be one of {allowed}, got {value!r}")
            elif not isinstance(value, str) or not value.strip():
                problems.append(f"facts.{name}: must be non-empty text")
        else:
            problems.append(f"facts.{name}: not a contract finding or descriptor")
    return problems


def _check_levels(data: Mapping[str, Any]) -> List[str]:
    problems: List[str] = []
    expected = data.get("expected_triage")
    if expected not in LEVEL_IDS:
        problems.append(f"expected_triage: unknown level {expected!r}")
    acceptable = data.get("acceptable_triage")
    if not isinstance(acceptable, list) or not acceptable:
        return problems + ["acceptable_triage: must be a non-empty list"]
    for level in acceptable:
        if level not in LEVEL_IDS:
            problems.append(f"acceptable_triage: unknown level {level!r}")
    if expected not in acceptable:
        problems.append("acceptable_triage: must include expected_triage")
    if len(set(acceptable)) != len(acceptable):
        problems.append("acceptable_triage: duplicates")
    return problems


def _check_causes(causes: Any) -> List[str]:
    if not isinstance(causes, list):
        return ["expected_causes: must be a list"]
    problems = [f"expected_causes: unknown cause {c!r}" for c in causes if c not in CAUSE_IDS]
    if len(set(causes)) != len(causes):
        problems.append("expected_causes: duplicates")
    return problems


def _check_extras(data: Mapping[str, Any]) -> List[str]:
    problems: List[str] = []
    tags = data.get("tags", [])
    if not isinstance(tags, list):
        problems.append("tags: must be a list")
    else:
        for tag in tags:
            name = tag[len("red_flag:") :] if str(tag).startswith("red_flag:") else None
            if name is None and tag not in TAGS:
                problems.append(f"tags: unknown tag {tag!r}")
            elif name is not None and name not in RED_FLAG_TAGS:
                problems.append(f"tags: unknown red flag {name!r}")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        problems.append("answers: must be a mapping of slot to text")
    else:
        slots = set(FINDINGS) | set(DESCRIPTORS) | {SCREEN_SLOT}
        for slot, text in answers.items():
            if slot not in slots:
                problems.append(f"answers.{slot}: not a slot the interview asks")
            if not isinstance(text, str) or not text.strip():
                problems.append(f"answers.{slot}: must be non-empty text")
    return problems


def validate_data(data: Any, stem: str | None = None) -> List[str]:
    """Every problem with one parsed vignette (an empty list when it is valid)."""
    if not isinstance(data, dict):
        return ["the file must hold one mapping"]
    problems = [f"{key}: missing" for key in REQUIRED_KEYS if key not in data]
    problems += [f"{key}: unknown key" for key in data if key not in REQUIRED_KEYS + OPTIONAL_KEYS]
    if problems:
        return problems
    if not isinstance(data["id"], str) or (stem is not None and data["id"] != stem):
        problems.append(f"id: must equal the file name {stem!r}")
    for key in ("opening", "notes"):
        if not isinstance(data[key], str) or not data[key].strip():
            problems.append(f"{key}: must be non-empty text")
    if not isinstance(data["emergency_turn"], bool):
        problems.append("emergency_turn: must be true or false")
    problems += _check_facts(data["facts"])
    problems += _check_levels(data)
    problems += _check_causes(data["expected_causes"])
    problems += _check_extras(data)
    return problems


def _from_data(data: Mapping[str, Any], path: Path | None) -> Vignette:
    return Vignette(
        id=data["id"],
        opening=data["opening"],
        facts=dict(data["facts"]),
        expected_triage=data["expected_triage"],
        acceptable_triage=tuple(data["acceptable_triage"]),
        expected_causes=tuple(data["expected_causes"]),
        emergency_turn=data["emergency_turn"],
        notes=data["notes"],
        tags=tuple(data.get("tags", ())),
        answers=dict(data.get("answers", {})),
        path=path,
    )


def read_yaml(path: Path) -> Any:
    """The parsed content of one vignette file."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def validate_file(path: Path) -> List[str]:
    """Every problem with one vignette file."""
    try:
        data = read_yaml(path)
    except yaml.YAMLError as exc:
        return [f"not valid YAML: {exc}"]
    return validate_data(data, path.stem)


def load_vignette(path: Path) -> Vignette:
    """One validated vignette; raises ``VignetteError`` listing every problem."""
    problems = validate_file(path)
    if problems:
        raise VignetteError(f"{path}: " + "; ".join(problems))
    return _from_data(read_yaml(path), path)


def vignette_files(directory: Path = DEFAULT_VIGNETTE_DIR) -> List[Path]:
    """The vignette files of a folder, sorted by name."""
    return sorted(directory.glob("*.yml"))


def load_vignettes(
    directory: Path = DEFAULT_VIGNETTE_DIR, only: Sequence[str] | None = None
) -> List[Vignette]:
    """All vignettes of a folder (or those whose id is in ``only``), sorted by id."""
    vignettes = [load_vignette(path) for path in vignette_files(directory)]
    ids = [v.id for v in vignettes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise VignetteError(f"duplicate vignette ids: {duplicates}")
    if only:
        wanted = set(only)
        missing = wanted - set(ids)
        if missing:
            raise VignetteError(f"no vignette with id {sorted(missing)}")
        vignettes = [v for v in vignettes if v.id in wanted]
    return vignettes


def as_dict(vignette: Vignette) -> Dict[str, Any]:
    """The vignette as plain data (for JSON output)."""
    return {
        "id": vignette.id,
        "opening": vignette.opening,
        "facts": dict(vignette.facts),
        "expected_triage": vignette.expected_triage,
        "acceptable_triage": list(vignette.acceptable_triage),
        "expected_causes": list(vignette.expected_causes),
        "emergency_turn": vignette.emergency_turn,
        "tags": list(vignette.tags),
    }
