"""A cheap check for messages written in another language.

Non-English when most letters are not Latin (Cyrillic, Arabic, CJK ...), or when the words
that are common non-English words or in no word list outnumber the English ones ("tengo
hormigueo en los pies"). Typos the spelling fixer repairs count as English.
"""

from __future__ import annotations

import unicodedata
from typing import FrozenSet

from spacy.tokens import Doc

MIN_UNKNOWN_WITHOUT_MARKER = 3
MIN_SINGLE_WORD = 3  # a lone "y" or "si" is too short to judge


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def looks_non_english(doc: Doc, english: FrozenSet[str], foreign: FrozenSet[str]) -> bool:
    """True when the message in ``doc`` is most likely not in English."""
    letters = [ch for ch in doc.text if ch.isalpha()]
    if not letters:
        return False
    if sum(1 for ch in letters if not _is_latin(ch)) * 2 > len(letters):
        return True
    words = [t for t in doc if t.is_alpha]
    if not words:
        return False
    n_english = n_foreign = n_unknown = 0
    for token in words:
        word = token.lower_
        if word in foreign:
            n_foreign += 1
        elif word in english or token.norm_ != word:
            n_english += 1
        else:
            n_unknown += 1
    if len(words) == 1:
        return n_foreign == 1 and len(words[0]) >= MIN_SINGLE_WORD
    if n_foreign + n_unknown <= n_english:
        return False
    return n_foreign >= 1 or n_unknown >= MIN_UNKNOWN_WITHOUT_MARKER
