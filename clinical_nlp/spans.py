"""Entity spans: which words of a mention the annotation conventions mark (``lexicon/spans.yml``).

A mention is matched with the words around it that make it unambiguous ("in my left foot",
"about 5 days", "it's spreading"), and ConText reads it that way. The entity span that Rasa
sees is narrower: the side word alone, each body part alone, the time span without "about",
the finding without the negation before it. This module only computes those character
ranges; values, assertions and everything the triage reads come from the whole mention.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from clinical_nlp.components import token_pattern
from clinical_nlp.lexicon import Lexicon, RunSpec, TrimSpec

CharRange = Tuple[int, int]
_LEAD, _TAIL, _WORDS, _HEADS, _LINKS = "lead", "tail", "words", "heads", "links"


@dataclass
class _DocMatches:
    """The shaper's matches in one doc, indexed for the span at hand."""

    leads: Dict[int, List[Tuple[int, int]]]  # start token -> (rule, end)
    tails: Dict[int, List[Tuple[int, int]]]  # end token -> (rule, start)
    classes: Dict[Tuple[str, str], Set[int]]  # (label, words|heads|links) -> token indices


class SpanShaper:
    """Computes the entity spans of a mention from the lexicon's span rules."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.trims: Tuple[TrimSpec, ...] = lexicon.spans.trims
        self.runs = dict(lexicon.spans.runs)
        self.matcher = Matcher(nlp.vocab)
        self._keys: Dict[int, Tuple[str, int, str]] = {}
        for i, rule in enumerate(self.trims):
            for kind, sequences in ((_LEAD, rule.lead), (_TAIL, rule.tail)):
                for j, seq in enumerate(sequences):
                    key = f"span:{kind}:{i}:{j}"
                    pattern = token_pattern(nlp, seq, lexicon.wordsets, rule.source)
                    self.matcher.add(key, [pattern])
                    self._keys[nlp.vocab.strings[key]] = (kind, i, "")
        for label, run in self.runs.items():
            for kind, elements in ((_WORDS, run.words), (_HEADS, run.heads), (_LINKS, run.links)):
                if not elements:
                    continue
                key = f"span:{kind}:{label}"
                patterns = [token_pattern(nlp, [e], lexicon.wordsets, run.source) for e in elements]
                self.matcher.add(key, patterns)
                self._keys[nlp.vocab.strings[key]] = (kind, -1, label)

    def matches(self, doc: Doc) -> _DocMatches:
        """Every lead, tail and run-word match in ``doc`` (run once per message)."""
        found = _DocMatches(defaultdict(list), defaultdict(list), defaultdict(set))
        if not self._keys:
            return found
        for match_id, start, end in self.matcher(doc):
            kind, rule, label = self._keys[match_id]
            if kind == _LEAD:
                found.leads[start].append((rule, end))
            elif kind == _TAIL:
                found.tails[end].append((rule, start))
            else:
                found.classes[(label, kind)].update(range(start, end))
        return found

    def parts(
        self, doc: Doc, matches: _DocMatches, span: Span, assertion: str
    ) -> Optional[Tuple[CharRange, ...]]:
        """The entity spans of ``span`` as character ranges; None when it is the whole span.

        For a label with ``runs`` the result may be empty: the mention names no such word
        ("patchy", "like socks" for a location).
        """
        run = self.runs.get(span.label_)
        if run is not None:
            return tuple(_chars(doc, s, e) for s, e in self._runs(run, matches, span.start, span.end))
        rules = frozenset(
            i
            for i, r in enumerate(self.trims)
            if span.label_ in r.labels and (assertion == "absent" or not r.absent_only)
        )
        start, end = self._trim(doc, matches, span.start, span.end, rules)
        if (start, end) == (span.start, span.end):
            return None
        return (_chars(doc, start, end),)

    def _trim(
        self, doc: Doc, matches: _DocMatches, start: int, end: int, rules: FrozenSet[int]
    ) -> Tuple[int, int]:
        while True:
            before = (start, end)
            while end - start > 1 and (doc[start].is_punct or doc[start].is_space):
                start += 1
            while end - start > 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            leads = [
                e
                for r, e in matches.leads.get(start, ())
                if r in rules and e <= end - self.trims[r].min_tokens
            ]
            if leads:
                start = max(leads)
            tails = [
                s
                for r, s in matches.tails.get(end, ())
                if r in rules and s >= start + self.trims[r].min_tokens
            ]
            if tails:
                end = min(tails)
            if (start, end) == before:
                break
        # A cut inside a typed word ("have|n't") goes back to the word's edge.
        while (
            start > 0 and start < end and not doc[start - 1].whitespace_ and not _punct(doc, start - 1, start)
        ):
            start -= 1
        while end < len(doc) and not doc[end - 1].whitespace_ and not _punct(doc, end - 1, end):
            end += 1
        return start, end

    @staticmethod
    def _runs(run: RunSpec, matches: _DocMatches, start: int, end: int) -> List[Tuple[int, int]]:
        words = matches.classes.get((run.label, _WORDS), set())
        heads = matches.classes.get((run.label, _HEADS), set())
        links = matches.classes.get((run.label, _LINKS), set())
        found: List[Tuple[int, int]] = []
        current: List[int] = []

        def close() -> None:
            while current and current[-1] in links and current[-1] not in words:
                current.pop()  # "sole of" before a side word: the link leads nowhere
            if current and (not run.heads or any(t in heads for t in current)):
                found.append((current[0], current[-1] + 1))
            current.clear()

        for i in range(start, end):
            if i in words or (current and i in links):
                current.append(i)
            else:
                close()
        close()
        return found[:1] if run.first_only else found


def _punct(doc: Doc, left: int, right: int) -> bool:
    return doc[left].is_punct or doc[right].is_punct


def _chars(doc: Doc, start: int, end: int) -> CharRange:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def covers(outer: Sequence[CharRange], inner: CharRange) -> bool:
    """Whether one of the ranges ``outer`` holds the range ``inner`` entirely."""
    return any(s <= inner[0] and inner[1] <= e for s, e in outer)
