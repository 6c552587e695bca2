"""Looks up an event class by its type name in a table built once.

Rasa 3.6's ``Event.resolve_by_type`` walks the whole ``Event`` class tree (and calls
``inspect.isabstract`` on every class) for each event it deserialises. The tracker store
deserialises the whole conversation on every message, so a 40-turn interview paid for
~60 tree walks a turn, growing with its length: 14% of a turn under ``python -m
bench.profile --cprofile``. The table maps each type name to the class the walk finds
first; a name not in it (an event class imported later, ``topic``, an unknown name) goes
to Rasa's own lookup, so answers and errors are unchanged.

Applied when the Rasa server imports the ``addons`` package, like ``action_response_check``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Dict, Optional, Type

import rasa.shared.utils.common
from rasa.shared.core.events import Event

_ORIGINAL: Callable[..., Optional[Type[Event]]] = Event.resolve_by_type


@lru_cache(maxsize=1)
def event_classes() -> Dict[str, Type[Event]]:
    """Type name -> the first concrete ``Event`` subclass with it, in Rasa's search order."""
    table: Dict[str, Type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Drop-in for ``Event.resolve_by_type``, answered from :func:`event_classes`."""
    found = event_classes().get(type_name)
    if found is not None:
        return found
    return _ORIGINAL(type_name, default)


def install() -> None:
    """Use the table for every event lookup (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
