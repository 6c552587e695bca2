"""The project's own spaCy components (registered as factories, configured after creation).

Order in the pipeline: ``sentencizer`` -> ``clinical_spelling`` (fixes near-miss words by
setting ``token.norm_``) -> ``clinical_ruler`` (lexicon phrases and token sequences, matched
on NORM) -> ``clinical_quantities`` (durations, ages) -> ``clinical_resolver`` (one span per
place and label, look-alikes dropped) -> ``medspacy_context`` (negation, family, worry) ->
``clinical_condition_context`` (a second ConText over the conditional terms alone: past
episode, recent time, trigger) -> ``clinical_conditions`` (keeps the conditional terms whose
condition holds, and applies their overrides).

Candidate spans go to ``doc.spans["clinical_candidates"]``; the resolved ones, which ConText
reads and marks, to ``doc.spans["clinical"]``, the conditional ones also to
``doc.spans["clinical_conditional"]``. Each span's ``id_`` is ``kind|value``.
"""

from collections import defaultdict
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from medspacy.context import ConText
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from clinical_nlp.lexicon import DETAIL, IGNORE, SHORT, TERM, LexiconError, Pattern, parse_condition
from clinical_nlp.quantities import find_quantities
from clinical_nlp.spelling import SpellingCorrector
from triage.contract import FINDINGS

CANDIDATES_KEY = "clinical_candidates"
SPANS_KEY = "clinical"
CONDITIONAL_KEY = "clinical_conditional"

# Words that may stand around a short answer ("the left one I think").
SHORT_ANSWER_FILLERS: FrozenSet[str] = frozenset(
    {"i", "think", "it", "'s", "is", "its", "on", "the", "my", "just", "only", "probably", "mostly"}
    | {"mainly", "er", "um", "uh", "erm", "ok", "okay", "yes", "yeah", "yep", "sure", "oh", "well", "hmm"}
    | {"hi", "please", "thanks", "thank", "you", "side", "one", "ones", "definitely", "more", "a", "bit"}
    | {"am", "me"}
)
# Verbs trimmed from the start of a matched span (see ``_trim``).
LEADING_VERBS: FrozenSet[str] = frozenset(
    {"have", "has", "had", "got", "get", "gets", "getting", "gotten", "having", "caught", "catch"}
    | {"recently", "just", "recovering", "suffer", "suffering", "suffered"}
)
# Single tokens read as another word before matching (text-speak included).
TOKEN_ALIASES: Mapping[str, str] = {
    "&": "and",
    "+": "and",
    "n": "and",
    "nd": "and",
    "u": "you",
    "ur": "your",
    "b4": "before",
    "thru": "through",
    "tho": "though",
    "wiv": "with",
    "bc": "because",
    "cuz": "because",
    "abt": "about",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "2day": "today",
    "2nite": "tonight",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "yday": "yesterday",
    "bk": "back",
    "ketch": "catch",
    "nutten": "nothing",
    "nuttin": "nothing",
    "nuthin": "nothing",
    "nothin": "nothing",
    "nuffin": "nothing",
    "nuffink": "nothing",
}
# "me legs", "mi foot", "ma back": "my" in Caribbean, Scots, Irish and Australian English, read
# so only before a body part ("tell me back" stays).
_MY_SPOKEN: FrozenSet[str] = frozenset({"me", "mi", "ma", "meh"})
# "r" and "l" before a body part are sides ("r foot"); "r" otherwise is "are".
_SIDE_ALIASES: Mapping[str, str] = {"r": "right", "l": "left"}
_BODY_AFTER_SIDE: FrozenSet[str] = frozenset(
    {"foot", "feet", "leg", "legs", "toe", "toes", "calf", "shin", "ankle", "thigh", "knee", "hip", "heel"}
    | {"side", "arm", "hand", "sole", "buttock", "groin", "lower", "upper", "big", "little", "outer", "inner"}
)
_BODY_AFTER_MY: FrozenSet[str] = (
    _BODY_AFTER_SIDE - {"side", "lower", "upper", "big", "little", "outer", "inner"}
) | {
    "back",
    "bottom",
    "bum",
    "bladder",
    "bowels",
    "face",
    "mouth",
    "waist",
    "belly",
    "tummy",
    "chest",
    "spine",
    "neck",
    "groin",
    "privates",
    "bits",
    "skin",
    "toenails",
    "soles",
    "heels",
    "calves",
    "thighs",
    "knees",
    "ankles",
    "shins",
    "arms",
    "hands",
    "eye",
    "eyes",
    "speech",
    "words",
    "breath",
    "breathing",
}
_VERBS_WITH_BACK: FrozenSet[str] = frozenset(
    {"knocked", "knock", "knocks", "called", "call", "calls", "rang", "ring", "phoned", "phone", "sent"}
    | {"send", "set", "sets", "brought", "bring", "take", "takes", "took", "taken", "get", "gets", "got"}
    | {"give", "gave", "pay", "paid", "text", "texted", "message", "messaged", "held", "hold", "holding"}
    | {"let", "invited", "invite", "want", "wants", "wanted", "welcomed", "wrote", "write", "email"}
    | {"emailed", "drove", "drive", "fought", "answer", "answered", "pushed", "push", "threw", "throw"}
)
# "2" is "to" between words ("pulling 2 one side", "hard 2 get going"), but a number before a
# count or unit ("2 days", "2 or 3", "had 2 falls").
_COUNTED: FrozenSet[str] = frozenset(
    {"day", "days", "week", "weeks", "wk", "wks", "month", "months", "year", "years", "yr", "yrs", "hour"}
    | {"hours", "hr", "hrs", "minute", "minutes", "min", "mins", "second", "seconds", "night", "nights"}
    | {"time", "times", "or", "and", "to", "x", "am", "pm", "falls", "tablets", "pills", "drinks", "pints"}
    | {"beers", "glasses", "bottles", "units", "packs", "cigs", "cigarettes", "kids", "children", "stone"}
    | {
        "kg",
        "miles",
        "km",
        "steps",
        "flights",
        "blocks",
        "hundred",
        "thousand",
        "of",
        "people",
        "legs",
        "feet",
    }
    | {"diabetes", "toes", "episodes", "attacks", "strokes", "babies", "sessions", "doses", "lots"}
)
_NUMBER_BEFORE: FrozenSet[str] = frozenset(
    {"for", "about", "around", "over", "under", "past", "last", "within", "nearly", "almost", "only", "just"}
    | {"like", "maybe", "every", "than", "the", "these", "those", "first", "next", "of", "at", "by", "type"}
    | {"after", "had", "took", "another", "extra", "since", "until", "till", "approx", "roughly", "or"}
    | {"stage", "grade", "level", "step", "number", "phase", "size", "page", "part", "ward", "room", "bed"}
)


def contextual_alias(doc: Doc, i: int) -> Optional[str]:
    """The word a one- or two-character token stands for here, or None."""
    token = doc[i]
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    prev = doc[i - 1] if i > 0 else None
    if token.lower_ in _MY_SPOKEN and nxt in _BODY_AFTER_MY:
        # "knocked me back", "call me back", "take me back to the start": "back" is the adverb.
        if nxt == "back" and prev is not None and prev.lower_ in _VERBS_WITH_BACK:
            return None
        return "my"
    if token.lower_ in _SIDE_ALIASES:
        if nxt in _BODY_AFTER_SIDE:
            return _SIDE_ALIASES[token.lower_]
        return "are" if token.lower_ == "r" and prev is not None and prev.is_alpha else None
    # "a number 2" (a poo), "number 1" (a wee): the words the terms are written with.
    if token.text in ("1", "2") and prev is not None and prev.lower_ in ("number", "no", "numero"):
        return "one" if token.text == "1" else "two"
    if (
        token.text == "2"
        and prev is not None
        and prev.is_alpha
        and nxt.isalpha()
        and nxt not in _COUNTED
        and prev.lower_ not in _NUMBER_BEFORE
    ):
        return "to"
    return None


def _norm_of(nlp: Language, word: str, source: str) -> str:
    if word.startswith("'"):
        # A clitic ("'s", "'ve", "'re") is one token only after a word, as in "leg's".
        for host in ("it", "we", "i", "they"):
            doc = nlp.make_doc(host + word)
            if len(doc) == 2:
                return doc[1].norm_
    doc = nlp.make_doc(word)
    if len(doc) != 1:
        raise LexiconError(f"{source}: {word!r} is {len(doc)} tokens; a sequence element is one word")
    return doc[0].norm_


def token_pattern(
    nlp: Language, sequence: Sequence[str], wordsets: Mapping[str, Sequence[str]], source: str
) -> List[Dict[str, object]]:
    """A spaCy ``Matcher`` pattern (on NORM) for a lexicon sequence (see ``lexicon/README.md``)."""
    tokens: List[Dict[str, object]] = []
    for element in sequence:
        op = element[-1] if element[-1] in "?*+" and len(element) > 1 else ""
        body = element[:-1] if op else element
        spec: Dict[str, object]
        if body == "_":
            spec = {}
        elif body == "#num":
            spec = {"LIKE_NUM": True}
        else:
            words = wordsets[body[1:]] if body.startswith("@") else body.split("|")
            norms = sorted({_norm_of(nlp, w, source) for w in words})
            spec = {"NORM": {"IN": norms}} if len(norms) > 1 else {"NORM": norms[0]}
        if op:
            spec["OP"] = op
        tokens.append(spec)
    return tokens


def split_key(span: Span) -> Tuple[str, str]:
    """``(kind, value)`` from a span's ``id_``."""
    kind, _, value = span.id_.partition("|")
    return kind, value


@Language.factory("clinical_spelling")
def make_spelling(nlp: Language, name: str) -> "SpellingComponent":
    """Factory for ``SpellingComponent`` (call ``set_corrector`` before use)."""
    return SpellingComponent()


class SpellingComponent:
    """Sets ``token.norm_`` to the intended lexicon word for near-miss spellings."""

    def __init__(self) -> None:
        self.corrector: Optional[SpellingCorrector] = None

    def set_corrector(self, corrector: SpellingCorrector) -> None:
        """Use ``corrector`` from now on."""
        self.corrector = corrector

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            alias = TOKEN_ALIASES.get(token.lower_) or contextual_alias(doc, token.i)
            if alias is not None:
                token.norm_ = alias
                continue
            if self.corrector is not None and len(token) >= 5 and token.is_alpha:
                fixed = self.corrector.correct(token.lower_)
                if fixed is not None:
                    token.norm_ = fixed
        return doc


class PhraseTrie:
    """Whole-phrase lookup over token norms; finds every (possibly overlapping) match."""

    _END = "\0"

    def __init__(self) -> None:
        self.root: Dict[str, Any] = {}
        self.size = 0

    def add(self, norms: Sequence[str], key: int) -> None:
        """Register the norm sequence ``norms`` under ``key``."""
        node = self.root
        for norm in norms:
            node = node.setdefault(norm, {})
        keys = node.setdefault(self._END, [])
        if key not in keys:
            keys.append(key)
            self.size += 1

    def find(self, norms: Sequence[str]) -> List[Tuple[int, int, int]]:
        """``(key, start, end)`` for every phrase found in ``norms``."""
        found: List[Tuple[int, int, int]] = []
        for start in range(len(norms)):
            node = self.root
            for end in range(start, len(norms)):
                child = node.get(norms[end])
                if child is None:
                    break
                node = child
                for key in node.get(self._END, ()):
                    found.append((key, start, end + 1))
        return found


@Language.factory("clinical_ruler")
def make_ruler(nlp: Language, name: str) -> "ClinicalRuler":
    """Factory for ``ClinicalRuler`` (call ``add_patterns`` before use)."""
    return ClinicalRuler(nlp)


class ClinicalRuler:
    """Finds every lexicon phrase and token sequence, matching on NORM.

    Phrases go into a trie of token norms (tens of thousands of phrases build in well under a
    second, where spaCy's PhraseMatcher needs a Doc per phrase); sequences become spaCy
    ``Matcher`` patterns. Unlike the EntityRuler it keeps overlapping matches of different
    labels ("hurt my back lifting" is ``after_trauma`` and "hurt my back" ``back_pain``);
    ``ClinicalResolver`` then keeps the longest match within each label.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.phrases = PhraseTrie()
        self.matcher = Matcher(nlp.vocab)
        self._labels: Dict[int, Tuple[str, str]] = {}
        self._chunk_norms: Dict[str, Tuple[str, ...]] = {}

    def _match_id(self, label: str, key: str) -> int:
        match_id = self.nlp.vocab.strings.add(f"{label}::{key}")
        self._labels[match_id] = (label, key)
        return match_id

    def phrase_norms(self, phrase: str) -> Tuple[str, ...]:
        """Token norms of a phrase, as the tokenizer would give them inside a message.

        spaCy tokenizes each whitespace-separated chunk on its own, so chunks are cached.
        """
        norms: List[str] = []
        for chunk in phrase.split():
            cached = self._chunk_norms.get(chunk)
            if cached is None:
                cached = tuple(t.norm_ for t in self.nlp.make_doc(chunk))
                self._chunk_norms[chunk] = cached
            norms.extend(cached)
        return tuple(norms)

    def add_patterns(self, patterns: Sequence[Pattern], wordsets: Mapping[str, Sequence[str]]) -> None:
        """Add the lexicon's phrases and sequences."""
        for p in patterns:
            match_id = self._match_id(p.label, p.key)
            if p.phrase is not None:
                self.phrases.add(self.phrase_norms(p.phrase), match_id)
            elif p.sequence is not None:
                self.matcher.add(self.nlp.vocab.strings[match_id], [self._token_pattern(p, wordsets)])

    def _token_pattern(
        self, pattern: Pattern, wordsets: Mapping[str, Sequence[str]]
    ) -> List[Dict[str, object]]:
        return token_pattern(self.nlp, pattern.sequence or (), wordsets, pattern.source)

    def __call__(self, doc: Doc) -> Doc:
        spans = set()
        matches = self.phrases.find([t.norm_ for t in doc]) + list(self.matcher(doc))
        for match_id, start, end in matches:
            label, key = self._labels[match_id]
            spans.add(Span(doc, start, end, label=label, span_id=key))
        doc.spans[CANDIDATES_KEY] = sorted(spans, key=lambda s: (s.start, s.end, s.label_, s.id_))
        return doc


@Language.factory("clinical_quantities")
def make_quantities(nlp: Language, name: str) -> "QuantityFinder":
    """Factory for ``QuantityFinder``."""
    return QuantityFinder()


class QuantityFinder:
    """Adds duration, age and shorthand-sex spans found by regular expressions."""

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(CANDIDATES_KEY, []))
        for label, value, start, end in find_quantities(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(Span(doc, span.start, span.end, label=label, span_id=f"{TERM}|{value}"))
        doc.spans[CANDIDATES_KEY] = spans
        return doc


def _trim(span: Span) -> Span:
    """Drop leading verbs like "got" / "have had" so "haven't got a fever" can negate "a fever".

    ConText never lets a rule modify a span it overlaps, so a term that starts with the
    negated verb would otherwise escape its negation.
    """
    start = span.start
    while start < span.end - 1 and span.doc[start].norm_ in LEADING_VERBS:
        start += 1
    if start == span.start:
        return span
    return Span(span.doc, start, span.end, label=span.label_, span_id=span.id_)


@Language.factory("clinical_resolver")
def make_resolver(nlp: Language, name: str) -> "ClinicalResolver":
    """Factory for ``ClinicalResolver`` (call ``set_overrides`` to use overrides)."""
    return ClinicalResolver()


class ClinicalResolver:
    """Keeps the longest match per label, drops look-alikes and unfit short answers."""

    def __init__(self) -> None:
        self.overrides: Mapping[str, Tuple[str, ...]] = {}

    def set_overrides(self, overrides: Mapping[str, Tuple[str, ...]]) -> None:
        """label -> labels whose spans inside its spans are dropped."""
        self.overrides = dict(overrides)

    @staticmethod
    def is_short_answer(doc: Doc, span: Span) -> bool:
        """The span is the whole answer, give or take filler words ("the left one I think")."""
        outside = [t for t in doc if not (span.start <= t.i < span.end)]
        return all(t.is_punct or t.is_space or t.lower_ in SHORT_ANSWER_FILLERS for t in outside)

    def __call__(self, doc: Doc) -> Doc:
        # Conditional terms are resolved apart: one that may not count must not hide a term.
        by_label: Dict[Tuple[str, bool], List[Span]] = defaultdict(list)
        for span in doc.spans.get(CANDIDATES_KEY, []):
            kind, _ = split_key(span)
            if kind == SHORT and not self.is_short_answer(doc, span):
                continue
            by_label[(span.label_, parse_condition(kind) is not None)].append(span)
        kept: List[Span] = []
        for spans in by_label.values():
            longest = filter_spans(spans)
            if spans and spans[0].label_ in FINDINGS:
                longest = join_overlapping(longest, spans)
            kept.extend(_trim(s) if s.label_ in FINDINGS else s for s in longest if split_key(s)[0] != IGNORE)
        kept = drop_repeated_details(kept)
        # A conditional term's overrides wait until its condition is known (ClinicalConditions).
        kept = apply_overrides(kept, self.overrides, [s for s in kept if not is_conditional(s)])
        doc.spans[SPANS_KEY] = sorted(kept, key=lambda s: (s.start, s.end, s.label_))
        doc.spans[CONDITIONAL_KEY] = [s for s in doc.spans[SPANS_KEY] if is_conditional(s)]
        return doc


def join_overlapping(kept: Sequence[Span], candidates: Iterable[Span]) -> List[Span]:
    """Each kept span grown over the candidates of its kind that overlap it.

    "foot goes dead when I sit" and "sit with my legs crossed" are one mention of the finding,
    "foot goes dead when I sit with my legs crossed": the longest match alone would cut the
    posture in two. Only words that a term of the same kind matched are added, so no cue is
    taken in that was not inside a term already.
    """
    out: List[Span] = []
    seen = set()
    for span in kept:
        kind = split_key(span)[0]
        start, end = span.start, span.end
        grown = True
        while grown:
            grown = False
            for other in candidates:
                overlaps = split_key(other)[0] == kind and other.start < end and start < other.end
                if overlaps and (other.start < start or other.end > end):
                    start, end = min(start, other.start), max(end, other.end)
                    grown = True
        if (start, end, span.id_) in seen:
            continue  # two kept matches grown into the same words are one mention
        seen.add((start, end, span.id_))
        if (start, end) != (span.start, span.end):
            span = Span(span.doc, start, end, label=span.label_, span_id=span.id_)
        out.append(span)
    return out


def drop_repeated_details(spans: Iterable[Span]) -> List[Span]:
    """Details ("20 a day") said after a term of the same finding ("I'm a smoker") describe it.

    Alone a detail says the finding is there; after the finding's own words it is part of that
    mention, so it makes no second one (the value and the red-flag check are the same).
    """
    spans = list(spans)
    named = [s for s in spans if split_key(s)[0] != DETAIL]
    return [
        s
        for s in spans
        if split_key(s)[0] != DETAIL or not any(n.label_ == s.label_ and n.start < s.start for n in named)
    ]


def is_conditional(span: Span) -> bool:
    """The span is a conditional term (``context_terms``), which counts only in some contexts."""
    return parse_condition(split_key(span)[0]) is not None


def apply_overrides(
    spans: Iterable[Span], overrides: Mapping[str, Tuple[str, ...]], winners: Iterable[Span]
) -> List[Span]:
    """``spans`` without those that a span of ``winners`` overrides (overlapping, label listed)."""
    spans = list(spans)
    if not overrides:
        return spans
    dropped = set()
    for winner in winners:
        victims = overrides.get(winner.label_)
        if not victims:
            continue
        for other in spans:
            if other.label_ in victims and other.start < winner.end and winner.start < other.end:
                dropped.add(id(other))
    return [s for s in spans if id(s) not in dropped]


@Language.factory("clinical_condition_context")
def make_condition_context(nlp: Language, name: str) -> "ConditionContext":
    """Factory for ``ConditionContext`` (add rules to its ``context``)."""
    return ConditionContext(nlp, name)


class ConditionContext:
    """A second medspaCy ConText over the conditional terms alone (past, recent, trigger cues).

    Apart from the main pass, so that other targets (a duration "2 years ago", a location)
    cannot prune its cues, and skipped when a message has no conditional term. It sets no
    attributes; ``ClinicalConditions`` reads the categories in ``span._.modifiers``.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.context = ConText(
            nlp,
            name=name,
            rules=None,
            phrase_matcher_attr="NORM",
            prune_on_modifier_overlap=True,
            prune_on_target_overlap=False,
            span_attrs=None,
            input_span_type="group",
            span_group_name=CONDITIONAL_KEY,
        )

    def __call__(self, doc: Doc) -> Doc:
        if len(doc.spans.get(CONDITIONAL_KEY, [])):
            self.context(doc)
        return doc


@Language.factory("clinical_conditions")
def make_conditions(nlp: Language, name: str) -> "ClinicalConditions":
    """Factory for ``ClinicalConditions`` (call ``set_overrides`` to use overrides)."""
    return ClinicalConditions()


class ClinicalConditions:
    """Keeps a conditional term only when its condition holds, then applies its overrides.

    A conditional term of kind ``when:HISTORICAL:RECENT`` counts when a ConText modifier of
    category HISTORICAL modifies it and none of category RECENT does ("last year my eyesight
    went blurry" is a past episode; "last year, and again this morning" is not). A counted
    term that overlaps an ordinary term of the same label is dropped as a duplicate.
    """

    def __init__(self) -> None:
        self.overrides: Mapping[str, Tuple[str, ...]] = {}

    def set_overrides(self, overrides: Mapping[str, Tuple[str, ...]]) -> None:
        """label -> labels whose spans overlapping its spans are dropped."""
        self.overrides = dict(overrides)

    @staticmethod
    def holds(span: Span) -> bool:
        """The span's condition holds (see the class docstring)."""
        condition = parse_condition(split_key(span)[0])
        if condition is None:
            return True
        when, unless = condition
        categories = {m.category.upper() for m in span._.modifiers}
        return when in categories and not categories.intersection(unless)

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPANS_KEY, []))
        if not any(is_conditional(s) for s in spans):
            return doc
        counted = [s for s in spans if is_conditional(s) and self.holds(s)]
        ordinary = [s for s in spans if not is_conditional(s)]
        counted = [
            c
            for c in counted
            if not any(o.label_ == c.label_ and o.start < c.end and c.start < o.end for o in ordinary)
        ]
        kept = apply_overrides(ordinary + counted, self.overrides, counted)
        doc.spans[SPANS_KEY] = sorted(kept, key=lambda s: (s.start, s.end, s.label_))
        return doc


__all__ = [
    "CANDIDATES_KEY",
    "CONDITIONAL_KEY",
    "SPANS_KEY",
    "ClinicalConditions",
    "ClinicalResolver",
    "ClinicalRuler",
    "ConditionContext",
    "QuantityFinder",
    "SpellingComponent",
    "apply_overrides",
    "drop_repeated_details",
    "is_conditional",
    "join_overlapping",
    "split_key",
    "token_pattern",
]
