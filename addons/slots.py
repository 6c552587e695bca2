"""A slot type for ``triage_level`` that never moves to a less urgent level.

The contract says the level never goes down during a conversation. Enforcing it in
the slot itself covers every writer: the NLU red-flag path (no action server), the
actions, and ``/intent{...}`` messages typed by hand. ``reset()`` (restart) clears it.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.slots import TextSlot

from triage.contract import TriageLevel

_LEVELS = {level.value: level for level in TriageLevel}


def _rank(value: Any) -> int:
    """Urgency of a level id; -1 for nothing set."""
    return _LEVELS[value].urgency if value in _LEVELS else -1


class TriageLevelSlot(TextSlot):
    """Keeps the most urgent triage level ever set; ignores unknown values."""

    _value: Any

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        if value is not None and value not in _LEVELS:
            return
        if value is None or _rank(value) > _rank(self._value):
            # None only comes from resets and rewinds, which replay the history.
            self._value = value
            self._has_been_set = True
