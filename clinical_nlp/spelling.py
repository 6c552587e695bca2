"""Fixes near-miss spellings of lexicon words ("numbnes", "tingleing", "sciatia").

A token is corrected only when it is not a known word (lexicon or English word list), is
alphabetic and long enough: within one edit of a lexicon word from 5 letters, within two
from 8. Edits are Damerau-Levenshtein (a swap of two neighbours is one edit). Candidates
come from a symmetric-delete index, so a lookup costs a few dictionary probes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

MIN_LENGTH_ONE_EDIT = 5
MIN_LENGTH_TWO_EDITS = 8
MIN_TARGET_LENGTH = 4


def _deletes(word: str, depth: int) -> Set[str]:
    """Every string made by deleting up to ``depth`` letters from ``word``."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    if a == b:
        return 0
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def allowed_edits(word: str) -> int:
    """How many edits a token of this length may be away from its correction."""
    if len(word) >= MIN_LENGTH_TWO_EDITS:
        return 2
    if len(word) >= MIN_LENGTH_ONE_EDIT:
        return 1
    return 0


class SpellingCorrector:
    """Maps unknown near-miss tokens to the closest lexicon word."""

    def __init__(self, targets: Iterable[str], known: Iterable[str]) -> None:
        self.targets: FrozenSet[str] = frozenset(
            t for t in targets if len(t) >= MIN_TARGET_LENGTH and t.isalpha()
        )
        self.known: FrozenSet[str] = frozenset(known) | self.targets
        self._index: Dict[str, List[str]] = {}
        for word in sorted(self.targets):
            # A two-edit query has 8+ letters, so its target has 6+; shorter targets need one.
            for d in _deletes(word, 2 if len(word) >= MIN_LENGTH_TWO_EDITS - 2 else 1):
                self._index.setdefault(d, []).append(word)
        self.correct = lru_cache(maxsize=20000)(self._correct)

    def _correct(self, word: str) -> Optional[str]:
        """The lexicon word ``word`` (lower-case) was meant to be, or None to leave it."""
        if word in self.known or not word.isalpha():
            return None
        # A dropped g ("droopin", "slurrin") is one edit from more than one word ("droolin");
        # the -ing word is the one meant.
        if word.endswith("in") and word + "g" in self.targets:
            return word + "g"
        budget = allowed_edits(word)
        if budget == 0:
            return None
        candidates: Set[str] = set()
        for d in _deletes(word, budget):
            candidates.update(self._index.get(d, ()))
        best: Optional[Tuple[int, int, int, str]] = None
        for cand in candidates:
            dist = edit_distance(word, cand)
            if dist > budget:
                continue
            # Prefer fewer edits, then the same first letter, then the longer word (a dropped
            # letter is the commonest slip: "brath" is "breath", not "bath"), then a stable order.
            rank = (dist, 0 if cand[0] == word[0] else 1, -len(cand), cand)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[3]
