"""Reads the interview state from tracker slots into the engine's ``Findings``."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

from triage.contract import DESCRIPTORS, FINDINGS
from triage.engine import Assessment, assess
from triage.features import Findings
from triage.table import Table


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _age(value: Any) -> int | None:
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        return None
    return age if 0 < age < 120 else None


def findings_from_slots(slots: Mapping[str, Any]) -> Findings:
    """Findings from slot values; malformed values count as unknown, never as absent."""
    flags: Dict[str, bool] = {}
    for name in FINDINGS:
        value = _bool(slots.get(name))
        if value is not None:
            flags[name] = value
    unsure = frozenset(n for n in (slots.get("unsure_findings") or []) if isinstance(n, str))
    descriptors: Dict[str, Any] = {}
    for name, allowed in DESCRIPTORS.items():
        value = slots.get(name)
        if name == "age":
            descriptors[name] = _age(value)
        elif allowed is not None:
            descriptors[name] = value if value in allowed else None
        else:
            descriptors[name] = str(value) if value not in (None, "") else None
    return Findings(flags=flags, unsure=unsure, **descriptors)


def flags_raised(slots: Mapping[str, Any]) -> List[str]:
    """Red flags already raised: announced ones and the one read in the latest message."""
    latest = slots.get("red_flag")
    return as_list(slots.get("announced_red_flags")) + ([latest] if isinstance(latest, str) else [])


def assess_slots(slots: Mapping[str, Any], table: Table) -> Assessment:
    """The engine's assessment of the slots, keeping every red flag already raised."""
    return assess(findings_from_slots(slots), table, fired_before=flags_raised(slots))


def as_list(value: Any) -> List[str]:
    """A list slot's value (None or malformed reads as empty)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def latest_intent(tracker: Any) -> str:
    """The intent of the user's latest message ("" when there is none)."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")
