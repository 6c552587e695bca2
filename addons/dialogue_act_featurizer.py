"""Sentence features for the intent classifier: what kind of turn a message is.

Word n-grams only know the words of the training data, so "affirmative", "nada" or "cheerio"
mean nothing to them. ``lexicon/language/dialogue_acts.yml`` lists the words of each act
(affirm, deny, hedge, greet, farewell, thank, stop, restart, summary, agent, capability,
question word); a message gets one feature for each act it uses anywhere and one for an act
it opens with, plus whether it asks ("?") and how long it is. In 5-fold CV on ``data/nlu``
(``python -m scripts.intent_proxy``) they lift intent macro-F1 by about two points, most of it
on short answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Pattern, Tuple

import numpy as np
import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.sentence_featurizer import WeightedSentenceFeaturizer
from clinical_nlp.lexicon import DEFAULT_LEXICON_DIR, LexiconError

ACTS_FILE = DEFAULT_LEXICON_DIR / "language" / "dialogue_acts.yml"
SHAPES = ("asks", "one_word", "two_or_three_words", "four_to_eight_words", "nine_words_or_more")
_REPEATS = re.compile(r"(\w)\1{2,}")
_DOUBLES = re.compile(r"(\w)\1+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class DialogueActs:
    """The acts in file order and one compiled whole-word pattern per act."""

    names: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...]

    @property
    def feature_names(self) -> Tuple[str, ...]:
        """``<act>_any`` and ``<act>_first`` per act, then the message shapes."""
        return tuple(f"{a}_{w}" for a in self.names for w in ("any", "first")) + SHAPES


def _pattern(words: List[str]) -> Pattern[str]:
    alternatives = sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def parse_acts(raw: Any, where: str) -> DialogueActs:
    """Validates the file's content: act name -> non-empty list of non-empty text."""
    if not isinstance(raw, Mapping) or not raw:
        raise LexiconError(f"{where}: expected a mapping of act name -> list of words")
    names, patterns = [], []
    for act, words in raw.items():
        if not isinstance(act, str) or not re.fullmatch(r"[a-z_]+", act):
            raise LexiconError(f"{where}: act {act!r}: the name must be snake_case text")
        if not isinstance(words, list) or not words:
            raise LexiconError(f"{where}: act {act!r}: expected a non-empty list of words")
        for number, word in enumerate(words, 1):
            if not isinstance(word, str) or not word.strip():
                raise LexiconError(
                    f"{where}: act {act!r}, entry {number}: {word!r} is not text "
                    "(quote yes/no/y/n/true/on/off in YAML)"
                )
        names.append(act)
        patterns.append(_pattern(words))
    return DialogueActs(tuple(names), tuple(patterns))


@lru_cache(maxsize=4)
def load_acts(path: Path = ACTS_FILE) -> DialogueActs:
    """The acts of ``path``; a missing or bad file fails loudly, naming file, act and entry."""
    if not path.is_file():
        raise LexiconError(f"{path}: file is missing")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    return parse_acts(raw, str(path))


def act_vector(text: str, acts: DialogueActs) -> np.ndarray:
    """A 0/1 row of ``acts.feature_names`` for ``text`` (all zeros for blank text)."""
    row = np.zeros(len(acts.feature_names), dtype=np.float32)
    plain = _REPEATS.sub(r"\1\1", text.lower().translate(_QUOTES)).strip()
    if not plain:
        return row
    # Stretched words ("yesss", "nooo", "byeee") are tried with the stretch cut to one letter too.
    squeezed = _DOUBLES.sub(r"\1", plain) if _REPEATS.search(text.lower()) else None
    for i, pattern in enumerate(acts.patterns):
        found = pattern.search(plain) or (pattern.search(squeezed) if squeezed else None)
        if found:
            row[2 * i] = 1.0
            # "first" allows one leading character: an emoji, a quote, "(".
            row[2 * i + 1] = float(found.start() <= 1)
    words = len(plain.split())
    shape = 2 * len(acts.patterns)
    row[shape] = float("?" in plain)
    row[shape + 1 + (0 if words <= 1 else 1 if words <= 3 else 2 if words <= 8 else 3)] = 1.0
    return row


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class DialogueActFeaturizer(WeightedSentenceFeaturizer):
    """Adds the dialogue-act features of a message as sparse sentence features."""

    DEFAULT_WEIGHT = 0.6

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(config, name)
        self.acts = load_acts()

    def row(self, text: str) -> np.ndarray:
        """See ``WeightedSentenceFeaturizer.row``."""
        return act_vector(text, self.acts)
