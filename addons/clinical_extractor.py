"""Rasa NLU component: clinical mentions as entities, and the red-flag safety net.

Runs after DIETClassifier and FallbackClassifier. For each message it

1. adds entities from ``clinical_nlp``: findings (value True/False; family and hypothetical
   mentions are skipped), descriptors (side, onset, progression, sex, location, duration,
   age), symptoms and topics (cause, diagnostic_test), extractor ``ClinicalFindingsExtractor``;
2. runs the triage engine's red-flag check on the findings said in this message alone; when a
   flag fires the intent becomes ``report_red_flag`` (the classifier's ranking is kept below
   it) and entities ``red_flag`` (flag id) and ``triage_level`` (its level) are added over the
   words that triggered it, extractor ``ClinicalRedFlagDetector`` so ``rasa test nlu`` does
   not score them;
3. otherwise turns a ``report_red_flag`` prediction into ``describe_symptoms`` (no flag was
   found, e.g. "no bladder problems"), and a message that looks non-English into
   ``speak_other_language``.

The spaCy pipeline and the table are loaded once per process (class-level cache).
"""

import logging
from pathlib import Path
from typing import Any, ClassVar, Dict, Iterable, List, Optional, Sequence, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinical_nlp import ClinicalNLP, Mention, get_nlp
from triage.contract import FINDINGS
from triage.engine import clause_holds, fired_red_flags
from triage.features import Findings, Tri, derive_features
from triage.table import Condition, RedFlag, Table, load_table

logger = logging.getLogger(__name__)

RED_FLAG_EXTRACTOR = "ClinicalRedFlagDetector"
RED_FLAG_ENTITY = "red_flag"
TRIAGE_LEVEL_ENTITY = "triage_level"
LOCATION_JOINER = " and "
# The descriptor a derived feature comes from ("onset_sudden" -> onset mentions).
_FEATURE_SOURCES = {
    "onset": ("onset",),
    "side": ("side", "location"),
    "progression": ("progression",),
    "duration": ("duration",),
    "age": ("age",),
    "sex": ("sex",),
    "pattern": ("location",),
}
# When one message says two things, the more worrying one wins.
_ONSET_ORDER = ("sudden", "gradual")
_PROGRESSION_ORDER = ("worsening", "comes_and_goes", "stable", "improving")

Entity = Dict[str, Any]


def _entity(label: str, value: Any, start: int, end: int, extractor: str) -> Entity:
    return {
        ENTITY_ATTRIBUTE_TYPE: label,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        EXTRACTOR: extractor,
    }


def _present(mentions: Iterable[Mention], label: str) -> List[Mention]:
    return [m for m in mentions if m.label == label and m.assertion == "present"]


def _first_by_order(mentions: Sequence[Mention], order: Sequence[str]) -> Optional[Mention]:
    ranked = sorted(mentions, key=lambda m: order.index(str(m.value)) if m.value in order else len(order))
    return ranked[0] if ranked else None


def _side(mentions: Sequence[Mention]) -> Optional[Mention]:
    """Both sides named ("left foot and right leg") or "both" reads as both."""
    if not mentions:
        return None
    values = {m.value for m in mentions}
    for m in mentions:
        if m.value == "both" or {"left", "right"} <= values:
            return Mention("side", "both", m.start, mentions[-1].end, m.text, "present")
    return mentions[0]


class MessageFindings:
    """What one message says about the person: findings, descriptors, and where."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = list(mentions)
        self.flags: Dict[str, bool] = {}
        self.flag_mentions: Dict[str, Mention] = {}
        self.unsure: List[str] = []
        for m in self.mentions:
            if m.label not in FINDINGS:
                continue
            if m.assertion == "present" and self.flags.get(m.label) is not True:
                self.flags[m.label] = True  # "present" wins over "absent" in one message
                self.flag_mentions[m.label] = m
            elif m.assertion == "absent" and m.label not in self.flags:
                self.flags[m.label] = False
                self.flag_mentions[m.label] = m
            elif m.assertion == "uncertain" and m.label not in self.unsure:
                self.unsure.append(m.label)
        self.side = _side(_present(mentions, "side"))
        self.onset = _first_by_order(_present(mentions, "onset"), _ONSET_ORDER)
        self.progression = _first_by_order(_present(mentions, "progression"), _PROGRESSION_ORDER)
        self.sex = next(iter(_present(mentions, "sex")), None)
        self.age = next(iter(_present(mentions, "age")), None)
        self.duration = next(iter(_present(mentions, "duration")), None)
        self.locations = _present(mentions, "location")

    @property
    def location(self) -> Optional[str]:
        """Every place named, in order, joined: "left foot and shin"."""
        places = list(dict.fromkeys(str(m.value) for m in self.locations))
        return LOCATION_JOINER.join(places) if places else None

    def to_findings(self) -> Findings:
        """The engine's view of this message alone."""
        return Findings(
            flags=dict(self.flags),
            unsure=frozenset(u for u in self.unsure if u not in self.flags),
            location=self.location,
            side=str(self.side.value) if self.side else None,
            onset=str(self.onset.value) if self.onset else None,
            duration=str(self.duration.value) if self.duration else None,
            progression=str(self.progression.value) if self.progression else None,
            age=int(self.age.value) if self.age else None,
            sex=str(self.sex.value) if self.sex else None,
        )

    def mentions_for_feature(self, feature: str) -> List[Mention]:
        """Mentions that make ``feature`` hold (a finding, or the descriptor behind it)."""
        if feature in self.flag_mentions:
            return [self.flag_mentions[feature]]
        prefix = feature.split("_", 1)[0]
        labels = _FEATURE_SOURCES.get(prefix, ())
        return [m for m in self.mentions if m.label in labels and m.assertion == "present"]

    def entities(self, extractor: str, emit_symptoms: bool = True) -> List[Entity]:
        """Rasa entities for this message (one per finding and descriptor)."""
        out: List[Entity] = []
        for label, value in self.flags.items():
            m = self.flag_mentions[label]
            out.append(_entity(label, value, m.start, m.end, extractor))
        for one in (self.side, self.onset, self.progression, self.sex, self.age, self.duration):
            if one is not None:
                out.append(_entity(one.label, one.value, one.start, one.end, extractor))
        if self.locations:
            first, last = self.locations[0], self.locations[-1]
            out.append(_entity("location", self.location, first.start, last.end, extractor))
        seen = set()
        for m in self.mentions:
            wanted = (
                m.label in ("cause", "diagnostic_test") and m.assertion in ("present", "hypothetical")
            ) or (emit_symptoms and m.label == "symptom" and m.assertion == "present")
            if wanted and (m.label, m.value) not in seen:
                seen.add((m.label, m.value))
                out.append(_entity(m.label, m.value, m.start, m.end, extractor))
        return sorted(out, key=lambda e: (e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_TYPE]))


def _holding_clause(flag: RedFlag, features: Dict[str, Tri]) -> Optional[Condition]:
    """The first clause of ``flag`` that holds and names something actually said."""
    for clause in flag.when:
        if any(not t.startswith("!") for t in clause.all_of) and clause_holds(clause, features):
            return clause
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalFindingsExtractor(GraphComponent, EntityExtractorMixin):
    """Clinical entities and the per-message red-flag check (see the module docstring)."""

    _tables: ClassVar[Dict[Optional[str], Table]] = {}

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The component's default config."""
        return {
            # Folders of the lexicon and the cause/red-flag table (None: the project's own).
            "lexicon_path": None,
            "table_path": None,
            "red_flag_intent": "report_red_flag",
            "symptom_intent": "describe_symptoms",
            "other_language_intent": "speak_other_language",
            # Also emit "symptom" entities (numbness, tingling, burning, pain).
            "emit_symptoms": True,
            # Drop other extractors' entities of a type this component also found.
            "replace_other_entities": True,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self.config = {**self.get_default_config(), **config}
        self.nlp: ClinicalNLP = get_nlp(self.config["lexicon_path"])
        self.table: Table = self._load_table(self.config["table_path"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ClinicalFindingsExtractor":
        """Creates the component (nothing to train or persist)."""
        return cls(config)

    @classmethod
    def _load_table(cls, path: Optional[str]) -> Table:
        if path not in cls._tables:
            cls._tables[path] = load_table(Path(path)) if path else load_table()
        return cls._tables[path]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds entities and, when needed, replaces the intent (see the module docstring)."""
        for message in messages:
            text = message.get(TEXT)
            if not text or not isinstance(text, str) or text.startswith("/"):
                continue
            self._process_one(message, text)
        return messages

    def _process_one(self, message: Message, text: str) -> None:
        analysis = self.nlp.analyse(text)
        said = MessageFindings(analysis.mentions)
        ours = said.entities(self.name, emit_symptoms=self.config["emit_symptoms"])
        fired = self._red_flag(said)
        if fired is not None:
            flag, (start, end) = fired
            ours.append(_entity(RED_FLAG_ENTITY, flag.id, start, end, RED_FLAG_EXTRACTOR))
            ours.append(_entity(TRIAGE_LEVEL_ENTITY, flag.level.value, start, end, RED_FLAG_EXTRACTOR))
        others = message.get(ENTITIES) or []
        if self.config["replace_other_entities"]:
            mine = {e[ENTITY_ATTRIBUTE_TYPE] for e in ours}
            others = [e for e in others if e.get(ENTITY_ATTRIBUTE_TYPE) not in mine]
        message.set(ENTITIES, others + ours, add_to_output=True)

        intent = message.get(INTENT) or {}
        predicted = intent.get(INTENT_NAME_KEY)
        if fired is not None:
            self._set_intent(message, self.config["red_flag_intent"], 1.0)
        elif analysis.non_english:
            self._set_intent(message, self.config["other_language_intent"], 1.0)
        elif predicted == self.config["red_flag_intent"]:
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 1.0)
            self._set_intent(message, self.config["symptom_intent"], confidence)

    def _red_flag(self, said: MessageFindings) -> Optional[Tuple[RedFlag, Tuple[int, int]]]:
        """The most urgent flag this message raises and the span of the words that raised it."""
        try:
            findings = said.to_findings()
            flags = fired_red_flags(findings, self.table)
            features = derive_features(findings)
        except Exception:  # a bad message must not take the whole NLU pipeline down
            logger.exception("Red-flag check failed for a message; no flag raised.")
            return None
        for flag in flags:  # most urgent first
            clause = _holding_clause(flag, features)
            if clause is None:
                continue
            spans = [m for t in clause.all_of if not t.startswith("!") for m in said.mentions_for_feature(t)]
            if spans:
                return flag, (min(m.start for m in spans), max(m.end for m in spans))
        return None

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float) -> None:
        new = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, new, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [new, *ranking], add_to_output=True)
