"""Remembers which entity mappings uniquely fill a form slot, once per domain.

On every message, Rasa 3.6's ``action_extract_slots`` asks, for every slot with a
``from_entity`` mapping, whether that mapping is unique among the form's slots. It does so
through a new ``FormAction`` each time, which rebuilds the answer from ``domain.as_dict()``
and a JSON dump of every mapping: with the interview's ~45 slots that was ~8 ms of each turn
(``python -m bench.profile --cprofile``), the largest single cost left. The answer depends
only on the form and the domain, so it is computed once per (form, domain).

Applied when the Rasa server imports the ``addons`` package, like ``action_response_check``.
"""

from __future__ import annotations

from typing import Callable, Dict, Set, Tuple

from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain

_ORIGINAL: Callable[[FormAction, Domain], Set[str]] = FormAction._create_unique_entity_mappings
# (form name, id(domain)) -> (the domain itself, so its id cannot be reused; the answer)
_CACHE: Dict[Tuple[str, int], Tuple[Domain, Set[str]]] = {}
_MAX_DOMAINS = 8  # a server holds one model at a time; a reload brings a new domain


def unique_entity_mappings(self: FormAction, domain: Domain) -> Set[str]:
    """Drop-in for ``FormAction._create_unique_entity_mappings``, computed once per form and domain."""
    key = (self.name(), id(domain))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is domain:
        return set(hit[1])
    if len(_CACHE) >= _MAX_DOMAINS:
        _CACHE.clear()
    answer = _ORIGINAL(self, domain)
    _CACHE[key] = (domain, set(answer))
    return answer


def install() -> None:
    """Use the cached answer in every ``FormAction`` (idempotent)."""
    FormAction._create_unique_entity_mappings = unique_entity_mappings  # type: ignore[method-assign]
