"""Checks action server replies against Rasa's schema, fast.

Rasa 3.6 validates every action server reply with ``jsonschema.validate``, which costs
twice over (``python -m bench.profile``, jsonschema 4.17):

1. It first checks the constant schema against the JSON Schema meta-schema: ~30 ms a
   call, half of every interview turn. The validators here are built and checked once.
2. Each event is matched against a ``oneOf`` of all 23 event schemas, so every event is
   validated 23 times: ~4.7 ms for an assessment reply (13 events, 8 messages). Every
   branch pins ``event`` to a different constant, so an event satisfies the ``oneOf``
   exactly when it satisfies the branch named by its own ``event``; only that branch is
   checked. If a Rasa upgrade breaks that shape, the full schema is used unchanged.

Accepts and rejects exactly what Rasa's check does (``tests/test_addons.py`` compares
both on valid and broken replies) and raises the same ``ValidationError`` with Rasa's
hint. Applied when the Rasa server imports the ``addons`` package.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Optional

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_HINT = (
    ". Failed to validate Action server response from API, make sure your response "
    f"from the Action endpoint is valid. For more information about the format visit "
    f"{DOCS_BASE_URL}/custom-actions"
)


@dataclass(frozen=True)
class ReplyValidators:
    """The reply schema without the per-event ``oneOf``, and one validator per event type.

    ``by_event`` is ``None`` when the schema does not have the expected shape; ``reply``
    is then the full schema's validator.
    """

    reply: Any
    by_event: Optional[Dict[str, Any]]


def _split_by_event(schema: Dict[str, Any], validator_class: Any) -> Optional[ReplyValidators]:
    """Split ``events.items.oneOf`` by each branch's ``event`` constant, or ``None``."""
    try:
        items = schema["properties"]["events"]["items"]
        branches = items["oneOf"]
        consts = [branch["properties"]["event"]["const"] for branch in branches]
    except (KeyError, TypeError):
        return None
    if len(set(consts)) != len(consts) or not all(isinstance(c, str) for c in consts):
        return None
    outer = copy.deepcopy(schema)
    del outer["properties"]["events"]["items"]["oneOf"]
    by_event = {const: validator_class(branch) for const, branch in zip(consts, branches, strict=True)}
    return ReplyValidators(validator_class(outer), by_event)


@lru_cache(maxsize=1)
def response_validators() -> ReplyValidators:
    """Validators for ``RemoteAction.action_response_format_spec()``, schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    split = _split_by_event(schema, validator_class)
    return split if split is not None else ReplyValidators(validator_class(schema), None)


def check_reply(result: Any) -> None:
    """Raise ``ValidationError`` where Rasa's schema check would."""
    checks = response_validators()
    checks.reply.validate(result)
    if checks.by_event is None or not isinstance(result, dict):
        return
    events = result.get("events")
    if not isinstance(events, list):
        return
    for event in events:
        # The outer schema already made every event an object with a string ``event``.
        branch = checks.by_event.get(event["event"])
        if branch is None:
            raise ValidationError(f"{event!r} is not valid under any of the given schemas")
        branch.validate(event)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result`` (raises the same error)."""
    try:
        check_reply(result)
    except ValidationError as error:
        error.message += _HINT
        raise error
    return True


def install() -> None:
    """Replace Rasa's per-call schema check with the cached validators (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
