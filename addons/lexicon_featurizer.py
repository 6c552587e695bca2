"""Sentence features for the intent classifier from the project's clinical lexicon.

Bag-of-words alone cannot tell "how do I get rid of dandruff" (off topic) from "how do I
get rid of pins and needles" (treatment) once the words differ from the training data.
The lexicon knows that "pins and needles" is a symptom and "dandruff" is nothing of ours,
in any of the ways people spell it. This adds one sentence-level feature per kind of
clinical mention (symptom, body part, side, duration, a finding said present or denied,
a named cause or test...), one for a message in another language and one for a message with
nothing clinical in it, so the intent classifier can learn from *what kind* of thing was said
as well as from the words.

No training: the feature set is fixed by ``KINDS``; the analysis is the same cached spaCy
pipeline the clinical extractor uses (``clinical_nlp.get_nlp``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinical_nlp import get_nlp
from clinical_nlp.pipeline import Analysis

# Mention labels kept as their own kind; every finding name counts as "finding".
DESCRIPTIVE = (
    "symptom",
    "location",
    "side",
    "duration",
    "onset",
    "progression",
    "age",
    "sex",
    "cause",
    "diagnostic_test",
)
ASSERTIONS = ("present", "absent", "other")
# "nothing_clinical" lets the classifier use the absence of anything of ours: "how long does
# sunburn take to heal" is off topic, "how long does it take to heal" after a symptom is not.
KINDS: Tuple[str, ...] = (
    DESCRIPTIVE + tuple(f"finding_{a}" for a in ASSERTIONS) + ("non_english", "nothing_clinical")
)
_INDEX = {kind: i for i, kind in enumerate(KINDS)}


def kinds_said(analysis: Analysis) -> List[str]:
    """The feature kinds one analysed message turns on (no repeats)."""
    kinds: Dict[str, None] = {}
    for mention in analysis.mentions:
        if mention.label in DESCRIPTIVE:
            kinds[mention.label] = None
        else:
            assertion = str(getattr(mention, "assertion", "") or "")
            kinds[f"finding_{assertion if assertion in ASSERTIONS[:2] else 'other'}"] = None
    if analysis.non_english:
        kinds["non_english"] = None
    if not kinds:
        kinds["nothing_clinical"] = None
    return list(kinds)


def sentence_vector(text: str) -> scipy.sparse.coo_matrix:
    """A 1 x len(KINDS) 0/1 row for ``text`` (all zeros for blank text)."""
    row = np.zeros((1, len(KINDS)), dtype=np.float32)
    if text.strip():
        for kind in kinds_said(get_nlp().analyse(text)):
            row[0, _INDEX[kind]] = 1.0
    return scipy.sparse.coo_matrix(row)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class ClinicalLexiconFeaturizer(SparseFeaturizer, GraphComponent):
    """Adds the clinical-mention kinds of a message as sparse sentence features."""

    @classmethod
    def required_components(cls) -> List[Type]:
        """Runs after tokenization like every featurizer."""
        return [Tokenizer]

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClinicalLexiconFeaturizer:
        """The featurizer; builds the spaCy pipeline now so the first message is not slow."""
        get_nlp()
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every training example that has text."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurizes ``messages`` in place."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                self.add_features_to_message(None, sentence_vector(text), TEXT, message)
        return messages

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Nothing to validate: the feature set is fixed."""
