"""Loads and validates the lexicon (``lexicon/``): the words behind every label.

Every problem raises ``LexiconError`` naming the file and the entry, so a bad edit fails
at start-up. The result is a flat list of ``Pattern`` (phrases and token sequences with
their label and value) plus the ConText rules and the word lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, validator

from clinical_nlp.templates import TemplateError, expand, unhyphenate
from triage.contract import CAUSE_IDS, DESCRIPTORS, FINDINGS

DEFAULT_LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"

# Labels besides the findings.
SYMPTOM_VALUES: Tuple[str, ...] = ("numbness", "tingling", "burning", "pain")
TEST_IDS: Tuple[str, ...] = (
    "history_exam",
    "blood_tests",
    "mri_ct",
    "xray",
    "doppler_ultrasound",
    "nerve_conduction_emg",
)
VALUE_DESCRIPTORS: Tuple[str, ...] = ("side", "onset", "progression", "sex")
CAUSE_LABEL = "cause"
TEST_LABEL = "diagnostic_test"
SYMPTOM_LABEL = "symptom"
LOCATION_LABEL = "location"
DURATION_LABEL = "duration"
AGE_LABEL = "age"
ALL_LABELS: FrozenSet[str] = frozenset(
    FINDINGS
    + VALUE_DESCRIPTORS
    + (LOCATION_LABEL, DURATION_LABEL, AGE_LABEL, SYMPTOM_LABEL, CAUSE_LABEL, TEST_LABEL)
)

# Pattern kinds: a mention that the label is there, that it is not, a look-alike to drop,
# and a bare word ("left", "both") that counts only when it is the whole answer.
TERM, ABSENT, IGNORE, SHORT = "term", "absent", "ignore", "short"
# A detail of a finding ("20 a day", "spread to my bones"): says the finding is there on its own,
# but after a term of the same finding it describes that mention rather than making another.
DETAIL = "detail"
# A conditional term ("context_terms" in a finding file) counts only when a ConText rule of one
# category modifies it and none of some others does; its kind is "when:<CATEGORY>:<UNLESS+...>".
WHEN = "when"

# Categories that only conditional terms read (run by a second ConText pass over them alone):
# a past episode that is over ("last year", "years ago"), a recent time ("this morning", "an
# hour ago"), and a trigger ("when it's cold", "when I'm stressed").
CONDITION_CATEGORIES = ("HISTORICAL", "RECENT", "TRIGGERED")
CONTEXT_CATEGORIES = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HYPOTHETICAL",
    "FAMILY",
    "TERMINATE",
    "PSEUDO",
    "NEW_CLAUSE",
    "CLAUSE_BREAK",
) + CONDITION_CATEGORIES
CONTEXT_DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")
# ConText passes: "main" marks every mention (negation, family, worry ...); "conditions" marks the
# conditional terms alone. A rule runs in the main pass, or for a condition category in the
# conditions pass, unless it names its passes.
MAIN_PASS, CONDITIONS_PASS = "main", "conditions"
CONTEXT_PASSES = (MAIN_PASS, CONDITIONS_PASS)

_WORD = r"[^|?*+\s@#][^|?*+\s]*"
_ELEMENT = re.compile(rf"^(?P<body>@[a-z_]+|#num|_|{_WORD}(?:\|{_WORD})*)(?P<op>[?*+])?$")


class LexiconError(ValueError):
    """A lexicon file is missing or invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Pattern:
    """One phrase (``phrase``) or token sequence (``sequence``) standing for a label's value."""

    label: str
    value: str
    kind: str
    source: str
    phrase: Optional[str] = None
    sequence: Optional[Tuple[str, ...]] = None

    @property
    def key(self) -> str:
        """The id the span ruler gives matched spans: ``kind|value``."""
        return f"{self.kind}|{self.value}"


def conditional_kind(when: str, unless: Sequence[str] = ()) -> str:
    """The pattern kind of a conditional term: ``when:<CATEGORY>:<UNLESS+...>``."""
    return f"{WHEN}:{when}:{'+'.join(unless)}"


def parse_condition(kind: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """``(category, unless categories)`` of a conditional kind, or None for other kinds."""
    if not kind.startswith(WHEN + ":"):
        return None
    _, when, unless = kind.split(":", 2)
    return when, tuple(u for u in unless.split("+") if u)


@dataclass(frozen=True)
class ContextRuleSpec:
    """One ConText rule: its phrases (already expanded), category, direction and reach."""

    name: str
    category: str
    direction: str
    phrases: Tuple[str, ...]
    max_scope: Optional[int]
    source: str
    terminated_by: Tuple[str, ...] = ()
    sequences: Tuple[Tuple[str, ...], ...] = ()
    passes: Tuple[str, ...] = (MAIN_PASS,)


# Label groups a span rule may name besides single labels (``spans.yml``).
ALL_GROUP, FINDINGS_GROUP = "all", "findings"


@dataclass(frozen=True)
class TrimSpec:
    """Sequences cut from the start (``lead``) or end (``tail``) of an entity span."""

    labels: FrozenSet[str]
    lead: Tuple[Tuple[str, ...], ...]
    tail: Tuple[Tuple[str, ...], ...]
    source: str
    absent_only: bool = False
    min_tokens: int = 1


@dataclass(frozen=True)
class RunSpec:
    """A label whose entity spans are the runs of some words inside a mention."""

    label: str
    words: Tuple[str, ...]
    source: str
    heads: Tuple[str, ...] = ()
    links: Tuple[str, ...] = ()
    first_only: bool = False


@dataclass(frozen=True)
class SpanRules:
    """How a mention's words become the entity span (``lexicon/spans.yml``)."""

    trims: Tuple[TrimSpec, ...] = ()
    runs: Mapping[str, RunSpec] = field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """Everything the pipeline is built from."""

    root: Path
    patterns: Tuple[Pattern, ...]
    overrides: Mapping[str, Tuple[str, ...]]
    context_rules: Tuple[ContextRuleSpec, ...]
    wordsets: Mapping[str, Tuple[str, ...]]
    english_words: Tuple[str, ...]
    foreign_markers: FrozenSet[str]
    vocabulary: FrozenSet[str] = field(default_factory=frozenset)
    spans: SpanRules = field(default_factory=SpanRules)

    def first_terms(self) -> Dict[str, str]:
        """The first term of each finding file (its plainest wording), by finding."""
        firsts: Dict[str, str] = {}
        for p in self.patterns:
            if p.label in FINDINGS and p.kind == TERM and p.phrase and p.label not in firsts:
                firsts[p.label] = p.phrase
        return firsts


# ---------------------------------------------------------------- file schemas


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid


def _one_of(value: str, allowed: Sequence[str], what: str) -> str:
    """``value`` if it is one of ``allowed``, else a ValueError naming the choices."""
    if value not in allowed:
        raise ValueError(f"unknown {what} '{value}' (one of {', '.join(allowed)})")
    return value


class _ConditionalTerms(_Strict):
    when: str
    unless: List[str] = []
    terms: List[str] = []
    sequences: List[List[str]] = []

    @validator("when")
    def _when(cls, v: str) -> str:  # noqa: N805
        return _one_of(v, CONDITION_CATEGORIES, "condition")

    @validator("unless", each_item=True)
    def _unless(cls, v: str) -> str:  # noqa: N805
        return _one_of(v, CONDITION_CATEGORIES, "condition")


class _FindingFile(_Strict):
    finding: str
    description: str = Field(..., min_length=5)
    terms: List[str] = Field(..., min_items=1)
    absent_terms: List[str] = []
    absent_sequences: List[List[str]] = []
    ignore: List[str] = []
    sequences: List[List[str]] = []
    details: List[str] = []
    detail_sequences: List[List[str]] = []
    context_terms: List[_ConditionalTerms] = []
    overrides: List[str] = []


class _ValueEntry(_Strict):
    terms: List[str] = []
    sequences: List[List[str]] = []
    short_answers: List[str] = []


class _ValuesFile(_Strict):
    descriptor: Optional[str] = None
    description: str = Field(..., min_length=5)
    values: Dict[str, _ValueEntry]
    ignore: List[str] = []
    ignore_sequences: List[List[str]] = []


class _LocationFile(_Strict):
    descriptor: str
    description: str = Field(..., min_length=5)
    terms: List[str] = Field(..., min_items=1)
    sequences: List[List[str]] = []
    ignore: List[str] = []


class _ContextRule(_Strict):
    name: str
    category: str
    direction: str
    max_scope: Optional[int] = Field(None, ge=1)
    terminated_by: List[str] = []
    phrases: List[str] = []
    sequences: List[List[str]] = []
    passes: List[str] = []

    @validator("passes", each_item=True)
    def _passes(cls, v: str) -> str:  # noqa: N805
        return _one_of(v, CONTEXT_PASSES, "pass")

    @validator("category")
    def _category(cls, v: str) -> str:  # noqa: N805
        return _one_of(v, CONTEXT_CATEGORIES, "category")

    @validator("terminated_by", each_item=True)
    def _terminated_by(cls, v: str) -> str:  # noqa: N805
        return _one_of(v, CONTEXT_CATEGORIES, "category")

    @validator("direction")
    def _direction(cls, v: str) -> str:  # noqa: N805
        if v not in CONTEXT_DIRECTIONS:
            raise ValueError(f"unknown direction '{v}' (one of {', '.join(CONTEXT_DIRECTIONS)})")
        return v


class _ContextFile(_Strict):
    rules: List[_ContextRule] = Field(..., min_items=1)


class _TrimRule(_Strict):
    labels: List[str] = Field(..., min_items=1)
    unless: List[str] = []
    absent_only: bool = False
    min_tokens: int = Field(1, ge=1)
    lead: List[List[str]] = []
    tail: List[List[str]] = []


class _RunRule(_Strict):
    words: List[str] = Field(..., min_items=1)
    heads: List[str] = []
    links: List[str] = []
    first_only: bool = False


class _SpansFile(_Strict):
    description: str = Field(..., min_length=5)
    trims: List[_TrimRule] = []
    runs: Dict[str, _RunRule] = {}


M = TypeVar("M", bound=BaseModel)


# ---------------------------------------------------------------- helpers


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path) -> Any:
    if not path.is_file():
        raise LexiconError(f"{_rel(path, root)}: file is missing")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{_rel(path, root)}: not valid YAML: {exc}") from exc


def _parse(model: Type[M], raw: Any, where: str) -> M:
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: expected a mapping, got {type(raw).__name__}")
    try:
        return model.parse_obj(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(file)"
            problems.append(f"entry '{loc}': {err['msg']}")
        raise LexiconError(f"{where}: " + "; ".join(problems)) from None


class _Builder:
    """Collects patterns from the files, expanding templates and checking conflicts."""

    def __init__(self, root: Path, wordsets: Mapping[str, Tuple[str, ...]]) -> None:
        self.root = root
        self.wordsets = wordsets
        self.patterns: List[Pattern] = []
        self.overrides: Dict[str, Tuple[str, ...]] = {}
        # (label, phrase) -> (value, kind, source) to catch one phrase under two values.
        self._seen: Dict[Tuple[str, str], Tuple[str, str, str]] = {}

    def phrases(
        self, where: str, label: str, value: str, kind: str, templates: Iterable[str], entry: str
    ) -> None:
        for i, template in enumerate(templates):
            source = f"{where}: entry '{entry}[{i}]'"
            if not isinstance(template, str) or not template.strip():
                raise LexiconError(f"{source}: must be a non-empty string")
            try:
                expanded = expand(template, self.wordsets)
            except TemplateError as exc:
                raise LexiconError(f"{source} {template!r}: {exc}") from None
            for phrase in expanded:
                self._add(Pattern(label, value, kind, source, phrase=unhyphenate(phrase)))

    def sequences(
        self, where: str, label: str, value: str, kind: str, seqs: Iterable[Sequence[str]], entry: str
    ) -> None:
        for i, seq in enumerate(seqs):
            source = f"{where}: entry '{entry}[{i}]'"
            if not seq:
                raise LexiconError(f"{source}: a sequence needs at least one element")
            for element in seq:
                self._check_element(source, element)
            if all(_optional(e) for e in seq):
                raise LexiconError(f"{source}: every element is optional, so it would match nothing")
            self.patterns.append(Pattern(label, value, kind, source, sequence=tuple(seq)))

    def _check_element(self, source: str, element: str) -> None:
        match = _ELEMENT.match(element) if isinstance(element, str) else None
        if not match:
            raise LexiconError(f"{source}: bad sequence element {element!r}")
        body = match.group("body")
        if body.startswith("@") and body[1:] not in self.wordsets:
            raise LexiconError(f"{source}: unknown word set {body!r}")

    def _add(self, pattern: Pattern) -> None:
        assert pattern.phrase is not None
        key = (pattern.label, pattern.phrase)
        previous = self._seen.get(key)
        if previous is None:
            self._seen[key] = (pattern.value, pattern.kind, pattern.source)
            self.patterns.append(pattern)
        elif previous[0] == pattern.value and {previous[1], pattern.kind} == {TERM, SHORT}:
            return  # a term already matches anywhere; the short answer adds nothing
        elif previous[:2] != (pattern.value, pattern.kind):
            raise LexiconError(
                f"{pattern.source}: '{pattern.phrase}' is already '{previous[1]}' of "
                f"'{previous[0] or pattern.label}' in {previous[2]}"
            )


def _optional(element: str) -> bool:
    return element.endswith("?") or element.endswith("*")


def _load_wordsets(root: Path) -> Dict[str, Tuple[str, ...]]:
    path = root / "wordsets.yml"
    raw = _read_yaml(path, root)
    where = _rel(path, root)
    if not isinstance(raw, dict) or not raw:
        raise LexiconError(f"{where}: expected a non-empty mapping of name -> list of words")
    sets: Dict[str, Tuple[str, ...]] = {}
    for name, words in raw.items():
        if not re.fullmatch(r"[a-z_]+", str(name)):
            raise LexiconError(f"{where}: entry '{name}': names use a-z and _ only")
        if not isinstance(words, list) or not words:
            raise LexiconError(f"{where}: entry '{name}': expected a non-empty list of words")
        for word in words:
            if not isinstance(word, str) or not word or " " in word or "|" in word:
                raise LexiconError(f"{where}: entry '{name}': {word!r} is not a single word")
        sets[str(name)] = tuple(w.lower() for w in words)
    return sets


def _load_findings(root: Path, builder: _Builder) -> None:
    folder = root / "findings"
    found = {p.stem: p for p in sorted(folder.glob("*.yml"))} if folder.is_dir() else {}
    for stem, path in found.items():
        if stem not in FINDINGS:
            raise LexiconError(f"{_rel(path, root)}: entry 'finding': unknown finding '{stem}'")
    for finding in FINDINGS:
        path = folder / f"{finding}.yml"
        where = _rel(path, root)
        data = _parse(_FindingFile, _read_yaml(path, root), where)
        if data.finding != finding:
            raise LexiconError(
                f"{where}: entry 'finding': '{data.finding}' does not match the file name '{finding}'"
            )
        builder.phrases(where, finding, finding, TERM, data.terms, "terms")
        builder.phrases(where, finding, finding, ABSENT, data.absent_terms, "absent_terms")
        builder.sequences(where, finding, finding, ABSENT, data.absent_sequences, "absent_sequences")
        builder.phrases(where, finding, "", IGNORE, data.ignore, "ignore")
        builder.sequences(where, finding, finding, TERM, data.sequences, "sequences")
        builder.phrases(where, finding, finding, DETAIL, data.details, "details")
        builder.sequences(where, finding, finding, DETAIL, data.detail_sequences, "detail_sequences")
        for i, conditional in enumerate(data.context_terms):
            entry = f"context_terms[{i}]"
            if not conditional.terms and not conditional.sequences:
                raise LexiconError(f"{where}: entry '{entry}': needs terms or sequences")
            kind = conditional_kind(conditional.when, conditional.unless)
            builder.phrases(where, finding, finding, kind, conditional.terms, f"{entry}.terms")
            builder.sequences(where, finding, finding, kind, conditional.sequences, f"{entry}.sequences")
        for other in data.overrides:
            if other not in ALL_LABELS or other == finding:
                raise LexiconError(f"{where}: entry 'overrides': unknown label '{other}'")
        if data.overrides:
            builder.overrides[finding] = tuple(data.overrides)


def _load_values(
    root: Path,
    builder: _Builder,
    rel_path: str,
    label: str,
    allowed: Sequence[str],
    descriptor: Optional[str],
) -> None:
    path = root / rel_path
    where = _rel(path, root)
    data = _parse(_ValuesFile, _read_yaml(path, root), where)
    if descriptor is not None and data.descriptor != descriptor:
        raise LexiconError(f"{where}: entry 'descriptor': expected '{descriptor}', got '{data.descriptor}'")
    for value, entry in data.values.items():
        if value not in allowed:
            raise LexiconError(f"{where}: entry 'values.{value}': unknown {label} value '{value}'")
        if not entry.terms and not entry.sequences:
            raise LexiconError(f"{where}: entry 'values.{value}': needs terms or sequences")
        builder.phrases(where, label, value, TERM, entry.terms, f"values.{value}.terms")
        builder.sequences(where, label, value, TERM, entry.sequences, f"values.{value}.sequences")
        builder.phrases(where, label, value, SHORT, entry.short_answers, f"values.{value}.short_answers")
    missing = [v for v in allowed if v not in data.values]
    if missing:
        raise LexiconError(f"{where}: entry 'values': missing {label} value(s): {', '.join(missing)}")
    builder.phrases(where, label, "", IGNORE, data.ignore, "ignore")
    builder.sequences(where, label, "", IGNORE, data.ignore_sequences, "ignore_sequences")


def _load_location(root: Path, builder: _Builder) -> None:
    path = root / "descriptors" / "location.yml"
    where = _rel(path, root)
    data = _parse(_LocationFile, _read_yaml(path, root), where)
    if data.descriptor != LOCATION_LABEL:
        raise LexiconError(f"{where}: entry 'descriptor': expected 'location', got '{data.descriptor}'")
    builder.phrases(where, LOCATION_LABEL, "", TERM, data.terms, "terms")
    builder.sequences(where, LOCATION_LABEL, "", TERM, data.sequences, "sequences")
    builder.phrases(where, LOCATION_LABEL, "", IGNORE, data.ignore, "ignore")


def _load_context(root: Path, builder: _Builder) -> Tuple[ContextRuleSpec, ...]:
    path = root / "context.yml"
    where = _rel(path, root)
    data = _parse(_ContextFile, _read_yaml(path, root), where)
    rules: List[ContextRuleSpec] = []
    for i, rule in enumerate(data.rules):
        if not rule.phrases and not rule.sequences:
            raise LexiconError(f"{where}: entry 'rules[{i}]' ({rule.name}): needs phrases or sequences")
        phrases: List[str] = []
        for j, template in enumerate(rule.phrases):
            try:
                phrases.extend(unhyphenate(p) for p in expand(str(template), builder.wordsets))
            except TemplateError as exc:
                raise LexiconError(f"{where}: entry 'rules[{i}].phrases[{j}]' {template!r}: {exc}") from None
        for j, seq in enumerate(rule.sequences):
            source = f"{where}: entry 'rules[{i}].sequences[{j}]'"
            if not seq or all(_optional(e) for e in seq):
                raise LexiconError(f"{source}: a sequence needs at least one element that is not optional")
            for element in seq:
                builder._check_element(source, element)
        rules.append(
            ContextRuleSpec(
                name=rule.name,
                category=rule.category,
                direction=rule.direction,
                phrases=tuple(dict.fromkeys(phrases)),
                max_scope=rule.max_scope,
                source=f"{where}: entry 'rules[{i}]' ({rule.name})",
                terminated_by=tuple(rule.terminated_by),
                sequences=tuple(tuple(seq) for seq in rule.sequences),
                passes=tuple(rule.passes)
                or ((CONDITIONS_PASS,) if rule.category in CONDITION_CATEGORIES else (MAIN_PASS,)),
            )
        )
    return tuple(rules)


def _span_labels(names: Iterable[str], where: str) -> FrozenSet[str]:
    labels: set[str] = set()
    for name in names:
        if name == ALL_GROUP:
            labels |= ALL_LABELS
        elif name == FINDINGS_GROUP:
            labels |= set(FINDINGS)
        elif name in ALL_LABELS:
            labels.add(name)
        else:
            raise LexiconError(f"{where}: unknown label '{name}'")
    return frozenset(labels)


def _load_spans(root: Path, builder: _Builder) -> SpanRules:
    path = root / "spans.yml"
    if not path.is_file():
        return SpanRules()  # no conventions: every entity spans its whole mention
    where = _rel(path, root)
    data = _parse(_SpansFile, _read_yaml(path, root), where)
    trims: List[TrimSpec] = []
    for i, rule in enumerate(data.trims):
        source = f"{where}: entry 'trims[{i}]'"
        labels = _span_labels(rule.labels, source) - _span_labels(rule.unless, source)
        if not rule.lead and not rule.tail:
            raise LexiconError(f"{source}: needs lead or tail sequences")
        for seq in rule.lead + rule.tail:
            if not seq or all(_optional(e) for e in seq):
                raise LexiconError(f"{source}: a sequence needs at least one element that is not optional")
            for element in seq:
                builder._check_element(source, element)
        trims.append(
            TrimSpec(
                labels=labels,
                lead=tuple(tuple(seq) for seq in rule.lead),
                tail=tuple(tuple(seq) for seq in rule.tail),
                source=source,
                absent_only=rule.absent_only,
                min_tokens=rule.min_tokens,
            )
        )
    runs: Dict[str, RunSpec] = {}
    for label, run in data.runs.items():
        source = f"{where}: entry 'runs.{label}'"
        if label not in ALL_LABELS:
            raise LexiconError(f"{source}: unknown label '{label}'")
        for element in run.words + run.heads + run.links:
            builder._check_element(source, element)
            if _optional(element):
                raise LexiconError(f"{source}: {element!r} stands for one word; drop the '?', '*' or '+'")
        runs[label] = RunSpec(
            label=label,
            words=tuple(run.words),
            source=source,
            heads=tuple(run.heads),
            links=tuple(run.links),
            first_only=run.first_only,
        )
    return SpanRules(trims=tuple(trims), runs=runs)


def _read_words(path: Path, root: Path) -> List[str]:
    if not path.is_file():
        raise LexiconError(f"{_rel(path, root)}: file is missing")
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.append(line)
    if not words:
        raise LexiconError(f"{_rel(path, root)}: no words")
    return words


def _vocabulary(patterns: Iterable[Pattern], wordsets: Mapping[str, Tuple[str, ...]]) -> FrozenSet[str]:
    words = set()
    for p in patterns:
        if p.kind == IGNORE:
            continue
        if p.phrase:
            words.update(re.findall(r"[a-z]+", p.phrase))
        for element in p.sequence or ():
            body = element.rstrip("?*+")
            if body.startswith("@"):
                words.update(w for w in wordsets[body[1:]] if w.isalpha())
            elif body not in ("#num", "_"):
                words.update(w for w in body.split("|") if w.isalpha())
    return frozenset(words)


def load_lexicon(root: Path = DEFAULT_LEXICON_DIR) -> Lexicon:
    """Load and validate every lexicon file under ``root``."""
    root = Path(root)
    if not root.is_dir():
        raise LexiconError(f"{root}: lexicon folder is missing")
    wordsets = _load_wordsets(root)
    builder = _Builder(root, wordsets)
    _load_findings(root, builder)
    for name in VALUE_DESCRIPTORS:
        allowed = DESCRIPTORS[name] or ()
        _load_values(root, builder, f"descriptors/{name}.yml", name, allowed, descriptor=name)
    _load_location(root, builder)
    _load_values(root, builder, "symptoms.yml", SYMPTOM_LABEL, SYMPTOM_VALUES, descriptor=None)
    _load_values(root, builder, "topics/causes.yml", CAUSE_LABEL, CAUSE_IDS, descriptor=None)
    _load_values(root, builder, "topics/tests.yml", TEST_LABEL, TEST_IDS, descriptor=None)
    patterns = tuple(builder.patterns)
    return Lexicon(
        root=root,
        patterns=patterns,
        overrides=dict(builder.overrides),
        context_rules=_load_context(root, builder),
        wordsets=wordsets,
        english_words=tuple(_read_words(root / "language" / "english_words.txt", root)),
        foreign_markers=frozenset(_read_words(root / "language" / "foreign_markers.txt", root)),
        vocabulary=_vocabulary(patterns, wordsets),
        spans=_load_spans(root, builder),
    )
