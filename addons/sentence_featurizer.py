"""Base class of the featurizers that add one weighted row of sentence features per message.

The intent classifier reads every featurizer's sparse sentence features side by side
(``addons/intent_classifier.py``); each subclass says only how a text becomes its row.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class WeightedSentenceFeaturizer(SparseFeaturizer, GraphComponent):
    """Adds ``row(text) * weight`` as the sparse sentence features of each message with text."""

    # Scales the row against the TF-IDF rows; each subclass's value was chosen by 5-fold CV.
    DEFAULT_WEIGHT = 1.0

    @classmethod
    def required_components(cls) -> List[Type]:
        """Runs after tokenization like every featurizer."""
        return [Tokenizer]

    @classmethod
    def get_default_config(cls) -> Dict[str, Any]:
        """The featurizer defaults plus ``weight``."""
        return {**SparseFeaturizer.get_default_config(), "weight": cls.DEFAULT_WEIGHT}

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, {**self.get_default_config(), **config})

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WeightedSentenceFeaturizer:
        """The featurizer; a subclass reads and checks its files now, so a bad file stops training."""
        return cls(config, execution_context.node_name)

    @abstractmethod
    def row(self, text: str) -> np.ndarray:
        """The unweighted feature row of ``text`` (always the same width)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every training example that has text."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurizes ``messages`` in place."""
        weight = float(self._config["weight"])
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                row = self.row(text) * weight
                self.add_features_to_message(None, scipy.sparse.coo_matrix(row[None, :]), TEXT, message)
        return messages

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """The weight must be a positive number."""
        weight = config.get("weight", cls.DEFAULT_WEIGHT)
        if not isinstance(weight, (int, float)) or weight <= 0:
            raise ValueError(f"{cls.__name__}: weight must be a positive number, got {weight!r}")
