"""The cause/red-flag table: schema, loading and validation.

The table is a folder of YAML files (``knowledge/``) reviewed by clinicians. It is
validated once at load; any problem raises ``TableError`` naming the file, the
entry and the field, so a bad edit fails at start-up and never mid-conversation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, validator

from triage.contract import CAUSE_IDS, CONTRACT_FINDINGS, DESCRIPTORS, FINDINGS, TriageLevel
from triage.features import ALL_FEATURES

DEFAULT_TABLE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


class TableError(ValueError):
    """A table file is missing or invalid; the message names file, entry and field."""


def _check_feature(name: str) -> str:
    bare = name[1:] if name.startswith("!") else name
    if bare not in ALL_FEATURES:
        raise ValueError(f"unknown finding or feature '{bare}'")
    return name


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Condition(_Strict):
    """One clause: fires when every feature in ``all_of`` holds.

    ``x`` holds when x is present; ``!x`` holds when x is not known to be present
    (absent or unknown), so an unknown answer can only make a clause fire, never stop it.
    """

    all_of: List[str] = Field(..., min_items=1)

    @validator("all_of", each_item=True)
    def _known(cls, v: str) -> str:  # noqa: N805
        return _check_feature(v)


class RedFlag(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str = Field(..., min_length=3)
    level: TriageLevel
    cause: str | None = None
    # Other causes that give the same red-flag picture; listed right after the flagged causes.
    also_causes: Tuple[str, ...] = ()
    when: List[Condition] = Field(..., min_items=1)
    # Level when the person answered "not sure" to a finding a clause needs while the
    # clause's other findings are present; with ``unsure_alone`` "not sure" by itself is enough.
    unsure_level: TriageLevel | None = None
    unsure_alone: bool = False
    advice: str = Field(..., min_length=40)  # what to do, how fast, why
    why: str = Field(..., min_length=20)
    source: str = Field(..., min_length=3)

    @validator("cause")
    def _cause(cls, v: str | None) -> str | None:  # noqa: N805
        if v is not None and v not in CAUSE_IDS:
            raise ValueError(f"unknown cause id '{v}'")
        return v

    @validator("also_causes", each_item=True)
    def _also_causes(cls, v: str) -> str:  # noqa: N805
        if v not in CAUSE_IDS:
            raise ValueError(f"unknown cause id '{v}'")
        return v


class Cause(_Strict):
    id: str
    name: str = Field(..., min_length=3)
    explanation: str = Field(..., min_length=80)
    prior: float = Field(1.0, ge=0)
    supports: Dict[str, float]
    against: Dict[str, float] = Field(default_factory=dict)
    # The cause is ruled out when one of these is known to be absent.
    excluded_if_absent: Tuple[str, ...] = ()
    typical_findings: Dict[str, Any]
    tests: List[str] = Field(..., min_items=1)
    treatments: List[str] = Field(..., min_items=1)
    self_care: List[str] = Field(..., min_items=1)
    prevention: Tuple[str, ...] = ()
    see_doctor: str = Field(..., min_length=20)
    source: str = Field(..., min_length=3)

    @validator("id")
    def _id(cls, v: str) -> str:  # noqa: N805
        if v not in CAUSE_IDS:
            raise ValueError(f"'{v}' is not a cause id of the contract")
        return v

    @validator("supports", "typical_findings")
    def _not_empty(cls, v: Dict[str, Any]) -> Dict[str, Any]:  # noqa: N805
        if not v:
            raise ValueError("must not be empty")
        return v

    @validator("supports", "against")
    def _weights(cls, v: Dict[str, float]) -> Dict[str, float]:  # noqa: N805
        for name, weight in v.items():
            _check_feature(name)
            if name.startswith("!"):
                raise ValueError(f"'{name}': weights take plain feature names")
            if weight <= 0:
                raise ValueError(f"'{name}': weight must be positive")
        return v

    @validator("excluded_if_absent", each_item=True)
    def _excl(cls, v: str) -> str:  # noqa: N805
        if v not in FINDINGS:
            raise ValueError(f"unknown finding '{v}'")
        return v


class DiagnosticTest(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str
    what: str = Field(..., min_length=40)
    source: str


class FaqEntry(_Strict):
    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    question: str
    answer: str = Field(..., min_length=60)
    source: str


class TopicEntry(_Strict):
    """A treatment family or a prevention tip, explained on request."""

    id: str = Field(..., regex=r"^[a-z][a-z0-9_]*$")
    name: str
    text: str = Field(..., min_length=40)
    source: str


class FeatureWording(_Strict):
    """How a feature reads in a reason: "you said it came on suddenly"."""

    present: str
    absent: str


class Question(_Strict):
    """One interview question (the slot it fills is the key in questions.yml)."""

    text: str = Field(..., min_length=10)
    kind: str = Field(..., regex=r"^(yes_no|text|choice)$")
    phase: str = Field(..., regex=r"^(screen|red_flag|describe|risk)$")
    # A grouped screen question: "no" answers every finding listed here.
    covers: Tuple[str, ...] = ()
    # Only asked when one of these clauses holds (empty: always eligible in its phase).
    ask_if: Tuple[Condition, ...] = ()
    # Other descriptors the wording also asks about: one answer often gives both, and a
    # part left unanswered is asked on its own afterwards.
    also_asks: Tuple[str, ...] = ()
    # The question on its own, once every part in ``also_asks`` is known.
    short_text: str = ""

    @validator("short_text", always=True)
    def _short_text_with_also_asks(cls, v: str, values: Dict[str, Any]) -> str:  # noqa: N805
        if values.get("also_asks") and len(v) < 10:
            raise ValueError("a question that also asks other things needs a short_text of its own")
        return v


class LevelWording(_Strict):
    """What a triage level tells the person: a short name and what to do, how soon."""

    name: str = Field(..., min_length=3)
    advice: str = Field(..., min_length=30)


class SelfCareRule(_Strict):
    requires_all: List[str] = Field(..., min_items=1)
    requires_any: Tuple[str, ...] = ()
    # Any clause here holding sends the person to a doctor instead (consultation).
    consult_if: List[Condition] = Field(..., min_items=1)

    @validator("requires_all", "requires_any", each_item=True)
    def _known(cls, v: str) -> str:  # noqa: N805
        return _check_feature(v)


class Table(_Strict):
    """The whole validated table."""

    causes: Mapping[str, Cause]
    red_flags: Mapping[str, RedFlag]
    tests: Mapping[str, DiagnosticTest]
    faq: Mapping[str, FaqEntry]
    treatments: Mapping[str, TopicEntry]
    prevention: Mapping[str, TopicEntry]
    features: Mapping[str, FeatureWording]
    questions: Mapping[str, Question]
    levels: Mapping[str, LevelWording]
    self_care: SelfCareRule

    class Config:
        arbitrary_types_allowed = True
        extra = Extra.forbid
        allow_mutation = False


M = TypeVar("M", bound=BaseModel)

# file name -> (top-level key, model); every file holds a list of entries with ``id``
# except features.yml and questions.yml (mappings) and self_care.yml (one object).
_LIST_FILES: Dict[str, Type[BaseModel]] = {
    "causes.yml": Cause,
    "red_flags.yml": RedFlag,
    "tests.yml": DiagnosticTest,
    "faq.yml": FaqEntry,
    "treatments.yml": TopicEntry,
    "prevention.yml": TopicEntry,
}
_MAP_FILES: Dict[str, Type[BaseModel]] = {
    "features.yml": FeatureWording,
    "questions.yml": Question,
    "levels.yml": LevelWording,
}


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise TableError(f"{path}: file is missing")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise TableError(f"{path}: not valid YAML: {exc}") from exc


def _describe(path: Path, entry: str, exc: ValidationError) -> TableError:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        problems.append(f"field '{loc}': {err['msg']}")
    return TableError(f"{path}: entry '{entry}': " + "; ".join(problems))


def _parse(model: Type[M], raw: Any, path: Path, entry: str) -> M:
    if not isinstance(raw, dict):
        raise TableError(f"{path}: entry '{entry}': expected a mapping, got {type(raw).__name__}")
    try:
        return model.parse_obj(raw)
    except ValidationError as exc:
        raise _describe(path, entry, exc) from None


def _load_list(path: Path, model: Type[M]) -> Dict[str, M]:
    raw = _read_yaml(path)
    if not isinstance(raw, list) or not raw:
        raise TableError(f"{path}: expected a non-empty list of entries")
    out: Dict[str, M] = {}
    for i, item in enumerate(raw):
        entry = str(item.get("id", f"#{i + 1}")) if isinstance(item, dict) else f"#{i + 1}"
        parsed = _parse(model, item, path, entry)
        key = str(parsed.dict()["id"])
        if key in out:
            raise TableError(f"{path}: entry '{key}': field 'id': duplicate id")
        out[key] = parsed
    return out


def _load_map(path: Path, model: Type[M]) -> Dict[str, M]:
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise TableError(f"{path}: expected a non-empty mapping")
    return {str(k): _parse(model, v, path, str(k)) for k, v in raw.items()}


def _cross_check(directory: Path, table: Dict[str, Any]) -> None:
    causes: Dict[str, Cause] = table["causes"]
    missing = [c for c in CAUSE_IDS if c not in causes]
    if missing:
        raise TableError(f"{directory / 'causes.yml'}: missing cause id(s): {', '.join(missing)}")
    for cause in causes.values():
        for test_id in cause.tests:
            if test_id not in table["tests"]:
                raise TableError(
                    f"{directory / 'causes.yml'}: entry '{cause.id}': field 'tests': "
                    f"unknown test id '{test_id}'"
                )
    features: Mapping[str, FeatureWording] = table["features"]
    for name in sorted(ALL_FEATURES - set(features)):
        raise TableError(f"{directory / 'features.yml'}: entry '{name}': wording is missing")
    for slot, question in table["questions"].items():
        for covered in question.covers:
            if covered not in FINDINGS:
                raise TableError(
                    f"{directory / 'questions.yml'}: entry '{slot}': field 'covers': "
                    f"unknown finding '{covered}'"
                )
        for other in question.also_asks:
            # Only choice descriptors: the short wording is picked by the other slot's value.
            if other == slot or other not in table["questions"] or not DESCRIPTORS.get(other):
                raise TableError(
                    f"{directory / 'questions.yml'}: entry '{slot}': field 'also_asks': "
                    f"'{other}' is not another choice descriptor question"
                )
    missing_levels = [level.value for level in TriageLevel if level.value not in table["levels"]]
    if missing_levels:
        raise TableError(f"{directory / 'levels.yml'}: missing level(s): {', '.join(missing_levels)}")
    asked = set(table["questions"])
    for finding in CONTRACT_FINDINGS:
        if finding not in asked:
            raise TableError(f"{directory / 'questions.yml'}: entry '{finding}': question is missing")


def load_table(directory: Path = DEFAULT_TABLE_DIR) -> Table:
    """Load and validate every table file under ``directory``."""
    directory = Path(directory)
    parts: Dict[str, Any] = {}
    for name, model in _LIST_FILES.items():
        parts[name[: -len(".yml")]] = _load_list(directory / name, model)
    for name, model in _MAP_FILES.items():
        parts[name[: -len(".yml")]] = _load_map(directory / name, model)
    self_care_path = directory / "self_care.yml"
    parts["self_care"] = _parse(SelfCareRule, _read_yaml(self_care_path), self_care_path, "self_care")
    _cross_check(directory, parts)
    return Table(**parts)


__all__: Sequence[str] = (
    "Cause",
    "Condition",
    "LevelWording",
    "DiagnosticTest",
    "FaqEntry",
    "FeatureWording",
    "Question",
    "RedFlag",
    "SelfCareRule",
    "Table",
    "TableError",
    "TopicEntry",
    "load_table",
)
