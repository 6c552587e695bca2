"""Builds the clinical spaCy pipeline from the lexicon and turns messages into mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Optional, Tuple, Union, cast

import spacy
from medspacy.context import ConText, ConTextRule
from medspacy.context import context_graph as _context_graph
from medspacy.context import context_modifier as _context_modifier
from spacy.language import Language
from spacy.tokens import Doc, Span

from clinical_nlp import components  # noqa: F401  (registers the factories)
from clinical_nlp.components import (
    SPANS_KEY,
    ClinicalConditions,
    ClinicalResolver,
    ClinicalRuler,
    ConditionContext,
    SpellingComponent,
    split_key,
    token_pattern,
)
from clinical_nlp.corrections import correct, without_opening
from clinical_nlp.language import looks_non_english
from clinical_nlp.lexicon import (
    ABSENT,
    AGE_LABEL,
    CONDITION_CATEGORIES,
    CONDITIONS_PASS,
    DEFAULT_LEXICON_DIR,
    DURATION_LABEL,
    LOCATION_LABEL,
    MAIN_PASS,
    ContextRuleSpec,
    Lexicon,
    load_lexicon,
)
from clinical_nlp.mention import Assertion, Mention, Value
from clinical_nlp.spans import SpanShaper
from clinical_nlp.spelling import SpellingCorrector
from clinical_nlp.templates import squeeze, unhyphenate, unquote, unshout
from triage.contract import FINDINGS

_FINDINGS = frozenset(FINDINGS)
# Word set of the words that open a question.
QUESTION_WORDSET = "question_start"
# Question words that also open a time or place clause, and the words after them that ask.
_CLAUSE_OPENERS = frozenset({"when", "where"})
# "have lupus since 2019", "had a stroke in 2010": a statement with "I" left out. A question
# puts its subject straight after the verb ("have I got MS", "has it spread").
_HAVE = frozenset({"have", "has", "had"})
_SUBJECTS = frozenset(
    {"i", "you", "u", "we", "they", "he", "she", "it", "there", "anyone", "anybody", "someone", "somebody"}
    | {"this", "that", "these", "those", "my", "your", "people", "ya", "ye"}
)
_AUXILIARIES = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "will", "would", "should", "shall", "can", "could"}
    | {"might", "may", "must", "has", "have", "had", "'s", "am", "to"}
)
# Requests for help that open without a question word: "any tips to ease the tingling",
# "best way to treat numb legs", "reasons for numb feet", "anything I can rub on my feet".
# "any time I sit my foot goes numb" and "anything cold makes my toes white" still tell.
_ASKING_OPENER = re.compile(
    r"^(?:(?:pls|plz|please|so|ok|okay|hi|hey|hello|um|erm)\W+)*(?:"
    r"any\s+(?:tips?|advice|ideas?|ways?|suggestions?|recommendations?|cures?|treatments?|remed(?:y|ies)"
    r"|creams?|tablets?|pills?|meds|medicines?|medications?|exercises?|stretch(?:es)?|supplements?"
    r"|vitamins?|help|point|use|good|chance|natural)"
    r"|anything\s+(?:i\s+can|i\s+could|to|that\s+(?:will|would|can|could|might|helps?)|that'll|for|from"
    r"|else|you\s+can|good|natural|over\s+the\s+counter)"
    r"|(?:best|fastest|quickest|easiest|safest|cheapest|good|natural)\s+(?:ways?|things?|treatments?|cures?"
    r"|remed(?:y|ies)|creams?|tablets?|pills|meds|medicines?|exercises?|stretch(?:es)?|supplements?|vitamins?"
    r"|methods?)"
    r"|(?:tips|advice|ways|remedies|reasons|causes|cures|treatments)\s+(?:for|to|on|of|behind)"
    r")\b",
    re.IGNORECASE,
)
# Word set of the words for a relative ("my dad smoked" is the dad's habit).
RELATIVE_WORDSET = "relative"


def _spans_overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    """Whether two non-empty ``(start, end)`` token ranges share a token."""
    return a[0] < a[1] and b[0] < b[1] and a[0] < b[1] and b[0] < a[1]


# medspaCy 1.3.1's ``tuple_overlaps`` misses a range that lies inside the other one, so a
# terminator ("but", a new clause), whose own scope is the whole sentence, never cut a rule
# with a ``max_scope`` that stops before the sentence end ("not recently, but I've had HIV"
# read as no HIV). Its modules import the function by name, so it is replaced there.
_context_modifier.tuple_overlaps = _spans_overlap  # type: ignore[attr-defined]
_context_graph.tuple_overlaps = _spans_overlap  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Analysis:
    """Everything read from one message."""

    text: str
    mentions: Tuple[Mention, ...]
    non_english: bool
    # Opens with a question word ("could it be MS", "is raynaud's dangerous"): a condition it
    # names is a topic asked about more than something said about the person.
    question: bool = False
    # Character spans of the sentences that ask (end in "?" or open with a question word); the
    # rest are statements ("could it be a stroke?? my feet have been numb for months").
    asked: Tuple[Tuple[int, int], ...] = ()

    def in_statement(self, start: int) -> bool:
        """Whether the character at ``start`` lies outside every asking sentence."""
        return not any(begin <= start < end for begin, end in self.asked)


def _assertion(span: Span) -> Assertion:
    if span._.is_family:
        return "family"
    if span._.is_hypothetical:
        return "hypothetical"
    if span._.is_uncertain:
        return "uncertain"
    kind, _ = split_key(span)
    if kind == ABSENT:
        return "absent"  # "my bladder is fine": a negation near it does not turn it around
    return "absent" if span._.is_negated else "present"


def _value(span: Span, text: str, assertion: Assertion) -> Value:
    kind, value = split_key(span)
    label = span.label_
    if label in _FINDINGS:
        if assertion in ("present", "absent"):
            return assertion == "present"
        return kind != ABSENT
    if label == AGE_LABEL:
        return int(value)
    if label in (LOCATION_LABEL, DURATION_LABEL):
        return value or text.lower()
    return value


class ClinicalNLP:
    """The clinical pipeline: ``extract(text)`` -> mentions with their assertion."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.english: FrozenSet[str] = frozenset(lexicon.english_words) | lexicon.vocabulary
        self.nlp = self._build(lexicon)
        self.shaper = SpanShaper(self.nlp, lexicon)
        self._relatives: Tuple[str, ...] = tuple(lexicon.wordsets.get(RELATIVE_WORDSET, ()))
        self._question_words = frozenset(
            self.nlp.make_doc(w)[0].norm_ for w in lexicon.wordsets.get(QUESTION_WORDSET, ())
        )

    @classmethod
    def from_lexicon(cls, path: Union[str, Path, None] = None) -> ClinicalNLP:
        """Load and validate the lexicon at ``path`` (default: the project's) and build."""
        return cls(load_lexicon(Path(path) if path else DEFAULT_LEXICON_DIR))

    def _build(self, lexicon: Lexicon) -> Language:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        spelling = cast(SpellingComponent, nlp.add_pipe("clinical_spelling"))
        spelling.set_corrector(SpellingCorrector(lexicon.vocabulary, self.english))
        ruler = cast(ClinicalRuler, nlp.add_pipe("clinical_ruler"))
        ruler.add_patterns(lexicon.patterns, lexicon.wordsets)
        nlp.add_pipe("clinical_quantities")
        resolver = cast(ClinicalResolver, nlp.add_pipe("clinical_resolver"))
        resolver.set_overrides(lexicon.overrides)
        context = self._add_context(nlp, "medspacy_context", SPANS_KEY, span_attrs="default")
        rules = self._context_rules(nlp, lexicon, [r for r in lexicon.context_rules if MAIN_PASS in r.passes])
        # "no" followed by punctuation is an answer ("No, I have back pain"), not a negation. As a
        # token pattern it also gives medspaCy's token Matcher a pattern (an empty one warns).
        rules.append(
            ConTextRule(
                literal="no + punctuation",
                category="PSEUDO",
                direction="PSEUDO",
                pattern=[{"NORM": {"IN": ["no", "nope", "nah"]}}, {"IS_PUNCT": True}],
            )
        )
        context.add(rules)
        # The second pass reads past episodes, recent times and triggers for the conditional
        # terms alone, so durations ("2 years ago") and other targets cannot prune its cues.
        conditions = [r for r in lexicon.context_rules if CONDITIONS_PASS in r.passes]
        if any(r.category in CONDITION_CATEGORIES for r in conditions):
            second = cast(ConditionContext, nlp.add_pipe("clinical_condition_context"))
            second.context.add(self._context_rules(nlp, lexicon, conditions))
        resolved = cast(ClinicalConditions, nlp.add_pipe("clinical_conditions"))
        resolved.set_overrides(lexicon.overrides)
        return nlp

    @staticmethod
    def _add_context(nlp: Language, name: str, group: str, span_attrs: Optional[str]) -> ConText:
        return cast(
            ConText,
            nlp.add_pipe(
                "medspacy_context",
                name=name,
                config={
                    "rules": None,
                    "phrase_matcher_attr": "NORM",
                    "prune_on_modifier_overlap": True,
                    "prune_on_target_overlap": True,
                    "input_span_type": "group",
                    "span_group_name": group,
                    "span_attrs": span_attrs,
                },
            ),
        )

    @staticmethod
    def _context_rules(nlp: Language, lexicon: Lexicon, specs: List[ContextRuleSpec]) -> List[ConTextRule]:
        rules = []
        for spec in specs:
            for phrase in spec.phrases:
                rules.append(
                    ConTextRule(
                        literal=phrase,
                        category=spec.category,
                        direction=spec.direction,
                        max_scope=spec.max_scope,
                        terminated_by=set(spec.terminated_by) or None,
                    )
                )
            for i, sequence in enumerate(spec.sequences):
                rules.append(
                    ConTextRule(
                        literal=f"{spec.name} #{i}",
                        category=spec.category,
                        direction=spec.direction,
                        max_scope=spec.max_scope,
                        terminated_by=set(spec.terminated_by) or None,
                        pattern=token_pattern(nlp, sequence, lexicon.wordsets, spec.source),
                    )
                )
        return rules

    def parse(self, text: str) -> Doc:
        """Run the pipeline (hyphens between letters and quotation marks read as spaces, runs of
        spaces as one, words in capitals in lower case)."""
        return self._parse(text)[0]

    def _parse(self, text: str) -> Tuple[Doc, List[int]]:
        """The parsed message and, per character of the parsed text, its offset in ``text``."""
        squeezed, origin = squeeze(unshout(unhyphenate(unquote(text))))
        return self.nlp(squeezed), origin

    def analyse(self, text: str) -> Analysis:
        """Mentions and the language check for one message.

        The intent featurizer and the extractor both read each message: the second read
        comes from a small cache (an Analysis is immutable).
        """
        return self._analyse_cached(text)

    @lru_cache(maxsize=256)  # noqa: B019  (one pipeline per lexicon, kept for the process)
    def _analyse_cached(self, text: str) -> Analysis:
        doc, origin = self._parse(text)

        def in_text(start: int, end: int) -> Tuple[int, int]:
            # Offsets in the message as typed (the parsed text may have fewer spaces).
            return origin[start], (origin[end - 1] + 1 if end > start else origin[start])

        shapes = self.shaper.matches(doc)
        mentions = []
        for span in doc.spans[SPANS_KEY]:
            start, end = in_text(span.start_char, span.end_char)
            original = text[start:end]
            assertion = _assertion(span)
            parts = self.shaper.parts(doc, shapes, span, assertion)
            mentions.append(
                Mention(
                    label=span.label_,
                    value=_value(span, original, assertion),
                    start=start,
                    end=end,
                    text=original,
                    assertion=assertion,
                    parts=None if parts is None else tuple(in_text(s, e) for s, e in parts),
                    negated=assertion == "absent" and split_key(span)[0] != ABSENT,
                )
            )
        non_english = looks_non_english(doc, self.english, self.lexicon.foreign_markers)
        question = self._question(doc)
        # A "?" asks only with a question word in the sentence: "strange numb feeling?? hard to
        # explain" and "numb from my waist down??" are worried statements.
        asked = tuple(
            in_text(sent.start_char, sent.end_char)
            for sent in doc.sents
            if self._question(sent)
            or ("?" in sent.text and any(t.norm_ in self._question_words for t in sent))
        )
        return Analysis(
            text=text,
            mentions=tuple(correct(mentions, text, question, self._relatives)),
            non_english=non_english,
            question=question,
            asked=asked,
        )

    def _question(self, doc: Doc | Span) -> bool:
        words = [t for t in doc if not (t.is_punct or t.is_space)]
        if words and _ASKING_OPENER.match(doc.text.lstrip()):
            return True
        # "hi there, is it possible ...", "please help, could it be ...": a greeting first.
        skip = doc[0].idx + len(doc.text) - len(without_opening(doc.text)) if len(doc) else 0
        words = [t for t in words if t.idx >= skip] or words
        if not words or words[0].norm_ not in self._question_words:
            return False
        # "didn't fall or hit my head", "haven't had a fall": a denial, not a question.
        if len(words) > 1 and words[1].norm_ in ("not", "n't"):
            return False
        # "when I wear my boots ...", "where it hurts ...": a time or place clause opens a
        # statement; "when should I ...", "where does it ..." ask.
        if words[0].norm_ in _CLAUSE_OPENERS:
            return len(words) > 1 and words[1].norm_ in _AUXILIARIES
        if words[0].norm_ in _HAVE:
            return len(words) > 1 and words[1].norm_ in _SUBJECTS
        return True

    def extract(self, text: str) -> List[Mention]:
        """Every mention in ``text``, in order of appearance."""
        return list(self.analyse(text).mentions)


@lru_cache(maxsize=4)
def get_nlp(path: Optional[str] = None) -> ClinicalNLP:
    """The pipeline for the lexicon at ``path`` (default: the project's), built once."""
    return ClinicalNLP.from_lexicon(path)


def extract(text: str) -> List[Mention]:
    """Mentions in ``text`` using the project's lexicon (see ``ClinicalNLP.extract``)."""
    return get_nlp().extract(text)
