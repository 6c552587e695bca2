"""Rasa NLU component: clinical mentions as entities, and the red-flag safety net.

Runs after the intent classifier and FallbackClassifier. For each message it

1. adds entities from ``clinical_nlp``: findings (value True/False; family and hypothetical
   mentions are skipped), descriptors (side, onset, progression, sex, location, duration,
   age), symptoms and topics (cause, diagnostic_test), extractor ``ClinicalFindingsExtractor``.
   Values are the message's (what the slots and the triage read); spans follow the annotation
   conventions of ``data/nlu`` (``lexicon/spans.yml``: the side word only, one entity per body
   part, no "about" before a duration, no negation before a finding);
2. runs the triage engine's red-flag check on the findings said in this message alone; when a
   flag fires the intent becomes ``report_red_flag`` (the classifier's ranking is kept below
   it) and entities ``red_flag`` (flag id) and ``triage_level`` (its level) are added over the
   words that triggered it, extractor ``ClinicalRedFlagDetector`` so ``rasa test nlu`` does
   not score them;
3. otherwise turns a ``report_red_flag`` prediction into ``describe_symptoms`` (no flag was
   found, e.g. "no bladder problems"), a message that looks non-English into
   ``speak_other_language``, and a statement in which the writer reports a symptom into
   ``describe_symptoms`` when the classifier heard a topic question, off-topic talk or
   nothing it was sure of (the interview must start whatever else the message mentions).

The spaCy pipeline and the table are loaded once per process (class-level cache).
``read_message`` is the same reading without Rasa's message (``scripts.entity_check`` uses it).
"""

import logging
from dataclasses import dataclass
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

from addons.dialogue_act_featurizer import act_vector, load_acts
from clinical_nlp import ClinicalNLP, Mention, get_nlp
from clinical_nlp.corrections import claimed
from clinical_nlp.lexicon import LOCATION_LABEL
from triage.contract import DESCRIPTORS, FINDINGS
from triage.engine import clause_holds, fired_red_flags
from triage.features import Findings, Tri, derive_features
from triage.table import Condition, RedFlag, Table, load_table

logger = logging.getLogger(__name__)

# Entities that describe the numbness (side, duration...), as opposed to findings.
DESCRIPTOR_ENTITIES = frozenset(DESCRIPTORS)
# Descriptors of the course, dropped when only a question says them (see ``read_message``).
_ASKED_COURSE = frozenset({"progression", "duration", "onset"})

EXTRACTOR_NAME = "ClinicalFindingsExtractor"
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
Span = Tuple[int, int]
# Where entities overlap, Rasa gives a word to the first of the entities that fit it equally,
# so findings come first, then descriptors and topics, then the never-annotated symptoms.
# In a question a condition named is the topic asked about ("is lupus treatable"), so there
# causes and tests come first.
_TOPIC_RANK, _FINDING_RANK, _DESCRIPTOR_RANK, _SYMPTOM_RANK = -1, 0, 1, 2
# A finding's words win over a location or side word inside them ("right arm and leg").
_YIELDS_TO_FINDINGS = ("location", "side")


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

    def __init__(self, mentions: Sequence[Mention], question: bool = False) -> None:
        self.mentions = list(mentions)
        self.question = question
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
        """Rasa entities for this message, spanning the words the annotation conventions mark.

        Values are the message's: a finding's True/False, the side, onset, progression,
        location ("left foot and shin"), age, sex and duration read from the whole message,
        so every entity of a type carries the same value and the slots fill as they always
        did. Spans follow ``Mention.entity_spans`` (the side word, each body part, the time
        span without "about" ...): one entity per mention of a finding or descriptor, one per
        body part. A location or side word inside a finding's words is left to the finding,
        unless it is the only one of its type (it still carries its slot's value).
        """
        out: List[Tuple[int, Entity]] = []
        findings: List[Span] = []
        for label, value in self.flags.items():
            for m in self.mentions:
                if m.label == label and m.about_the_person:
                    for start, end in m.entity_spans:
                        findings.append((start, end))
                        out.append((_FINDING_RANK, _entity(label, value, start, end, extractor)))
        # Side words all count ("left foot and right leg" is both); of two onsets, progressions,
        # ages, sexes or durations the message's value comes from one, and so does the span.
        described = (
            ("side", self.side, _present(self.mentions, "side")),
            ("onset", self.onset, [self.onset] if self.onset else []),
            ("progression", self.progression, [self.progression] if self.progression else []),
            ("sex", self.sex, [self.sex] if self.sex else []),
            ("age", self.age, [self.age] if self.age else []),
            ("duration", self.duration, [self.duration] if self.duration else []),
        )
        for label, chosen, said in described:
            if chosen is not None:
                spans = _descriptor_spans(label, said, findings)
                out.extend(
                    (_DESCRIPTOR_RANK, _entity(label, chosen.value, s, e, extractor)) for s, e in spans
                )
        if self.locations:
            spans = _descriptor_spans("location", self.locations, findings)
            out.extend(
                (_DESCRIPTOR_RANK, _entity("location", self.location, s, e, extractor)) for s, e in spans
            )
        seen = set()
        for m in self.mentions:
            topic = m.label in ("cause", "diagnostic_test") and m.assertion in ("present", "hypothetical")
            symptom = emit_symptoms and m.label == "symptom" and m.assertion == "present"
            if (topic or symptom) and (m.label, m.value) not in seen:
                seen.add((m.label, m.value))
                rank = (_TOPIC_RANK if self.question else _DESCRIPTOR_RANK) if topic else _SYMPTOM_RANK
                out.extend((rank, _entity(m.label, m.value, s, e, extractor)) for s, e in m.entity_spans)
        out.sort(key=lambda r: (r[0], r[1][ENTITY_ATTRIBUTE_START], r[1][ENTITY_ATTRIBUTE_TYPE]))
        return [entity for _, entity in out]


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _descriptor_spans(label: str, said: Sequence[Mention], findings: Sequence[Span]) -> List[Span]:
    """Entity spans for a descriptor's mentions (see ``MessageFindings.entities``)."""
    spans = list(dict.fromkeys(span for m in said for span in m.entity_spans))
    if label not in _YIELDS_TO_FINDINGS:
        return spans or [(said[0].start, said[0].end)]
    kept = [span for span in spans if not _overlaps(span, findings)]
    if kept:
        return kept
    # The only ones are a finding's words, or words like "patchy" that name no part: one still
    # carries the slot's value (it comes after the finding, so the finding keeps the words).
    return spans[:1] or [(said[0].start, said[0].end)]


def _holding_clause(flag: RedFlag, features: Dict[str, Tri]) -> Optional[Condition]:
    """The first clause of ``flag`` that holds and names something actually said."""
    for clause in flag.when:
        if any(not t.startswith("!") for t in clause.all_of) and clause_holds(clause, features):
            return clause
    return None


def find_red_flag(said: MessageFindings, table: Table) -> Optional[Tuple[RedFlag, Tuple[int, int]]]:
    """The most urgent flag this message raises and the span of the words that raised it."""
    try:
        findings = said.to_findings()
        flags = fired_red_flags(findings, table)
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


@dataclass(frozen=True)
class MessageReading:
    """What the component reads from one message: its entities, flag and language."""

    entities: List[Entity]
    red_flag: Optional[RedFlag]
    non_english: bool
    # A statement (no question) in which the writer says they have numbness, tingling...
    reports_symptom: bool = False
    # Numbness, tingling... named anywhere, even in a question.
    names_symptom: bool = False


def _sign_findings(table: Table) -> frozenset[str]:
    """Findings that are signs of the body (asked on the screen, as red flags or in the
    description), not risk factors."""
    return frozenset(slot for slot, q in table.questions.items() if q.phase != "risk")


def read_message(
    nlp: ClinicalNLP,
    table: Table,
    text: str,
    extractor: str = EXTRACTOR_NAME,
    emit_symptoms: bool = True,
) -> MessageReading:
    """Entities (ours and the red-flag ones) for ``text``, exactly as the component adds them."""
    analysis = nlp.analyse(text)
    said = MessageFindings(analysis.mentions, question=analysis.question)
    entities = said.entities(extractor, emit_symptoms=emit_symptoms)
    fired = find_red_flag(said, table)
    flag: Optional[RedFlag] = None
    if fired is not None:
        flag, (start, end) = fired
        entities.append(_entity(RED_FLAG_ENTITY, flag.id, start, end, RED_FLAG_EXTRACTOR))
        entities.append(_entity(TRIAGE_LEVEL_ENTITY, flag.level.value, start, end, RED_FLAG_EXTRACTOR))
    # Said in a sentence that does not ask: "tingly, not sure what's up" (doubt about the cause
    # still reports the tingling), "could it be a stroke?? both feet numb for months", "ugh, my
    # sciatica again" (the writer's own complaint named).
    signs = _sign_findings(table)
    # "Could tingling in my leg be MS?? It's my left thigh...": the complaint named anywhere, and
    # the writer's own body part in a statement.
    named = any(m.label == "symptom" and m.assertion not in ("absent", "family") for m in analysis.mentions)
    reports_symptom = any(
        analysis.in_statement(m.start)
        and (
            (m.label == "symptom" and m.assertion in ("present", "uncertain"))
            or (m.label == "cause" and m.assertion == "present" and claimed(m, text))
            # "back's playing up again": a sign of the body, not a risk factor ("I smoke").
            or (m.label in signs and m.assertion == "present" and m.value is True)
            or (named and m.label == LOCATION_LABEL and m.assertion == "present" and claimed(m, text))
        )
        for m in analysis.mentions
    )
    if not reports_symptom:
        # "how long does it take to come back", "keep coming back?": a question's time or course
        # is about the topic, not the writer's numbness.
        entities = [
            e
            for e in entities
            if e[ENTITY_ATTRIBUTE_TYPE] not in _ASKED_COURSE
            or analysis.in_statement(e[ENTITY_ATTRIBUTE_START])
        ]
    return MessageReading(
        entities=entities,
        red_flag=flag,
        non_english=analysis.non_english,
        reports_symptom=reports_symptom,
        names_symptom=named,
    )


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
            # Small talk: "oh right, thank you" must not set the side, nor "better go" the
            # progression. Descriptors are dropped for these intents; findings never are.
            "social_intents": [
                "greet",
                "say_goodbye",
                "say_thanks",
                "challenge_bot",
                "ask_capabilities",
                "request_restart",
                "request_stop",
                "request_summary",
                "ask_off_topic",
            ],
            # An intent that throws the interview away needs its own words (lexicon/language/
            # dialogue_acts.yml): "just the usual stiff low back, nothing new" is an answer, not a
            # restart. Without them the runner-up intent is taken.
            "explicit_act_intents": {"request_restart": "restart"},
            "fallback_intent": "nlu_fallback",
            # A statement that reports a symptom ("been taking B6 for a year and now my feet
            # are numb") is a description, whatever topic or doubt the classifier heard in it.
            "described_symptom_overrides": [
                "nlu_fallback",
                "request_restart",
                "ask_off_topic",
                "ask_cause",
                "ask_test",
                "ask_treatment",
                "ask_prevention",
                "ask_supplements",
                "ask_exercise",
                "ask_recovery_time",
                "ask_reversibility",
                "ask_seriousness",
            ],
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
        reading = read_message(
            self.nlp, self.table, text, extractor=self.name, emit_symptoms=self.config["emit_symptoms"]
        )
        ours = reading.entities
        intent = message.get(INTENT) or {}
        predicted = intent.get(INTENT_NAME_KEY)
        if reading.red_flag is None and predicted in self.config["social_intents"]:
            ours = [e for e in ours if e[ENTITY_ATTRIBUTE_TYPE] not in DESCRIPTOR_ENTITIES]
        others = message.get(ENTITIES) or []
        if self.config["replace_other_entities"]:
            mine = {e[ENTITY_ATTRIBUTE_TYPE] for e in ours}
            others = [e for e in others if e.get(ENTITY_ATTRIBUTE_TYPE) not in mine]
        message.set(ENTITIES, others + ours, add_to_output=True)

        if reading.red_flag is not None:
            self._set_intent(message, self.config["red_flag_intent"], 1.0)
        elif reading.non_english:
            self._set_intent(message, self.config["other_language_intent"], 1.0)
        elif predicted == self.config["red_flag_intent"]:
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 1.0)
            self._set_intent(message, self.config["symptom_intent"], confidence)
        elif reading.reports_symptom and predicted in self.config["described_symptom_overrides"]:
            self._set_intent(message, self.config["symptom_intent"], 1.0)
        elif reading.names_symptom and predicted == self.config["fallback_intent"]:
            # Unsure what was meant, but the numbness or tingling is named ("is it normal for
            # ur feet to feel like bubble wrap"): the interview is a better answer than "please
            # rephrase", and never misses a red flag asked about later.
            self._set_intent(message, self.config["symptom_intent"], 1.0)
        elif predicted in self.config["explicit_act_intents"] and not self._says_act(
            text, self.config["explicit_act_intents"][predicted]
        ):
            others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != predicted]
            if others:
                name, confidence = others[0][INTENT_NAME_KEY], others[0][PREDICTED_CONFIDENCE_KEY]
                self._set_intent(message, name, float(confidence))

    @staticmethod
    def _says_act(text: str, act: str) -> bool:
        acts = load_acts()
        return act_vector(text, acts)[2 * acts.names.index(act)] > 0

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float) -> None:
        new = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, new, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [new, *ranking], add_to_output=True)
