"""What the pipeline returns: one ``Mention`` per thing said, with its assertion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional, Tuple, Union

from clinical_nlp.lexicon import (
    AGE_LABEL,
    CAUSE_LABEL,
    DURATION_LABEL,
    LOCATION_LABEL,
    TEST_LABEL,
    VALUE_DESCRIPTORS,
)
from triage.contract import FINDINGS

Assertion = Literal["present", "absent", "family", "hypothetical", "uncertain", "historical"]
ASSERTIONS: Tuple[str, ...] = ("present", "absent", "family", "hypothetical", "uncertain", "historical")
DESCRIPTOR_LABELS: Tuple[str, ...] = VALUE_DESCRIPTORS + (LOCATION_LABEL, DURATION_LABEL, AGE_LABEL)
TOPIC_LABELS: Tuple[str, ...] = (CAUSE_LABEL, TEST_LABEL)

Value = Union[bool, str, int]


@dataclass(frozen=True)
class Mention:
    """One mention in a message.

    ``label``: a finding name, a descriptor (side, onset, progression, sex, location,
    duration, age), ``symptom``, ``cause`` or ``diagnostic_test``.
    ``value``: for a finding True (said to be there) or False (said not to be there); the
    canonical value for side/onset/progression/sex/symptom; the cause or test id; the
    matched words (lower-cased) for location and duration; a whole number for age.
    ``start``/``end``: character offsets in the message; ``text`` the words as typed.
    ``assertion``: "present", "absent" (negated), "family" (someone else's), "hypothetical"
    (a worry or a question: "scared it might be MS"), "uncertain" ("not sure if ...") or
    "historical" (the writer's own injury or episode years ago and over: "broke my back in 2005").
    Only "present" and "absent" describe the person.
    ``parts``: the character ranges an entity for this mention should span, following the
    annotation conventions (``lexicon/spans.yml``): None for the whole mention, empty when the
    mention holds none of the words its label marks (a location said as "patchy").
    ``negated``: a negation word outside the mention's own words made it absent.
    """

    label: str
    value: Value
    start: int
    end: int
    text: str
    assertion: Assertion
    parts: Optional[Tuple[Tuple[int, int], ...]] = field(default=None, compare=False)
    # A negation word outside its own words made it absent ("isn't [cold]", "no [weakness]"), as
    # opposed to an absent term ("my bladder is fine"): such a negation reaches a whole list.
    negated: bool = field(default=False, compare=False)

    @property
    def entity_spans(self) -> Tuple[Tuple[int, int], ...]:
        """The character ranges for its entities (the whole mention unless ``parts`` says)."""
        return ((self.start, self.end),) if self.parts is None else self.parts

    @property
    def category(self) -> str:
        """The kind of mention: "finding", "descriptor", "topic" or "symptom"."""
        if self.label in FINDINGS:
            return "finding"
        if self.label in DESCRIPTOR_LABELS:
            return "descriptor"
        if self.label in TOPIC_LABELS:
            return "topic"
        return "symptom"

    @property
    def about_the_person(self) -> bool:
        """True when the mention says something (yes or no) about the person chatting."""
        return self.assertion in ("present", "absent")
