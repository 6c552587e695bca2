"""Checks action server replies against their schema without re-checking the schema.

Rasa 3.6 validates every action server reply with ``jsonschema.validate``, which first
checks the (constant) schema against the JSON Schema meta-schema. With jsonschema 4.17
that meta-check costs ~30 ms per call, more than the HTTP round trip and the action
itself: it was half of every interview turn (``python -m bench.profile``). This keeps
the same schema and the same ``ValidationError`` (with Rasa's hint appended), but
builds the validator once.

Applied when the Rasa server imports the ``addons`` package (the pipeline's custom
components live there), so it covers ``rasa run``, ``rasa shell`` and ``rasa test``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_HINT = (
    ". Failed to validate Action server response from API, make sure your response "
    f"from the Action endpoint is valid. For more information about the format visit "
    f"{DOCS_BASE_URL}/custom-actions"
)


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator for ``RemoteAction.action_response_format_spec()``, schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result`` (raises the same error)."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += _HINT
        raise error
    return True


def install() -> None:
    """Replace Rasa's per-call schema check with the cached validator (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
