"""Sentence features for the intent classifier from pretrained static word vectors.

TF-IDF only knows the words of the training data, so "what's rivaroxaban for" or "how long does
jet lag last" are guessed from their shape. Word vectors carry what words mean from far more
text than ours: a message's vector is the mean of its sub-word token vectors (WordLlama
``l2_supercat_256``, 32,000 LLaMA-2 tokens x 256 dimensions, MIT licence; see
``vectors/README.md``). In 5-fold CV on ``data/nlu`` (``python -m scripts.intent_proxy``) they
lift intent macro-F1 from 0.899 to 0.910 at weight 1.0 (``config.yml``).

The vectors ship in the repository (``vectors/``); nothing is fetched at run time. No training:
the vectors are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.sentence_featurizer import WeightedSentenceFeaturizer

VECTORS_DIR = Path(__file__).resolve().parent.parent / "vectors" / "wordllama_l2_supercat_256"
EMBEDDINGS_KEY = "embedding.weight"


class WordVectorError(ValueError):
    """The vector files are missing or malformed; the message names the file."""


@dataclass(frozen=True)
class WordVectors:
    """A sub-word tokenizer and one vector per token id."""

    tokenizer: Any  # tokenizers.Tokenizer (no type stubs)
    table: np.ndarray  # (vocabulary, dimensions), float16 as shipped

    @property
    def dimensions(self) -> int:
        """Width of a sentence vector."""
        return int(self.table.shape[1])

    def sentence_vector(self, text: str) -> np.ndarray:
        """Unit-length mean of the token vectors of ``text`` (zeros when it has none).

        Lower case: the tokenizer splits "HELP" and "Help" into other tokens than "help".
        """
        ids = self.tokenizer.encode(text.lower(), add_special_tokens=False).ids
        if not ids:
            return np.zeros(self.dimensions, dtype=np.float32)
        vector = self.table[ids].astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector


@lru_cache(maxsize=2)
def load_vectors(directory: Path = VECTORS_DIR) -> WordVectors:
    """The vectors of ``directory``; a missing or mismatched file fails loudly, naming it."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer as SubwordTokenizer

    weights, vocabulary = directory / "embeddings.safetensors", directory / "tokenizer.json"
    for path in (weights, vocabulary):
        if not path.is_file():
            raise WordVectorError(f"{path}: file is missing")
    try:
        tables = load_file(str(weights))
    except Exception as exc:  # safetensors raises its own error types
        raise WordVectorError(f"{weights}: not a readable safetensors file: {exc}") from exc
    table = tables.get(EMBEDDINGS_KEY)
    if table is None or table.ndim != 2:
        raise WordVectorError(f"{weights}: expected a 2-d tensor named {EMBEDDINGS_KEY!r}")
    try:
        tokenizer = SubwordTokenizer.from_file(str(vocabulary))
    except Exception as exc:  # tokenizers raises a bare Exception on bad JSON
        raise WordVectorError(f"{vocabulary}: not a readable tokenizer file: {exc}") from exc
    tokens, rows = tokenizer.get_vocab_size(), table.shape[0]
    if tokens > rows:
        raise WordVectorError(f"{vocabulary}: {tokens} tokens but {weights.name} has only {rows} rows")
    return WordVectors(tokenizer, table)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class WordVectorFeaturizer(WeightedSentenceFeaturizer):
    """Adds a message's mean word vector as sentence features (stored sparse, read by the SVM)."""

    DEFAULT_WEIGHT = 1.0

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(config, name)
        self.vectors = load_vectors()

    def row(self, text: str) -> np.ndarray:
        """See ``WeightedSentenceFeaturizer.row``."""
        return self.vectors.sentence_vector(text)
