"""First NLU step: makes any typed text safe to understand.

Clips huge messages, drops control characters and binary noise, strips HTML/markup
tags, and defuses ``/intent{...}`` messages: Rasa treats text that starts with "/" as
a ready-made intent with entities, which would let typed text set slots directly.
The quick-reply buttons send plain words ("Yes", "Not sure"), so nothing legitimate
starts with "/".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MAX_CHARS = 1000
_TAGS = re.compile(r"<[^>]{0,200}>")
# Runs of spaces become one; line breaks are kept (one per run), because a line break ends a
# statement: "no back pain<newline>foot is white" must not read as one denied list.
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r" ?\n\s*")


def sanitize(text: Any, max_chars: int = MAX_CHARS) -> str:
    """The text a person meant, safe for the pipeline (never raises)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: max_chars * 4]
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = _TAGS.sub(" ", text)
    text = _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text)).strip()
    # "/intent{...}" would be executed as an intent: read it as words instead.
    text = text.lstrip("/").replace("{", " ").replace("}", " ").strip()
    return _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text))[:max_chars].strip()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageSanitizer(GraphComponent):
    """Rewrites the message text in place before tokenization."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_chars": MAX_CHARS}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._max_chars = int(config.get("max_chars", MAX_CHARS))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageSanitizer:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(TEXT, sanitize(message.get(TEXT), self._max_chars), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
