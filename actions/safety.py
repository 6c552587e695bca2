"""Red-flag announcements shared by the interview and the red-flag action."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping

from rasa_sdk.executor import CollectingDispatcher

from actions.state import as_list
from triage.contract import TriageLevel
from triage.engine import Assessment

EMERGENCY_LEVELS = (TriageLevel.EMERGENCY_AMBULANCE, TriageLevel.EMERGENCY)


def announce_red_flags(
    dispatcher: CollectingDispatcher,
    slots: Mapping[str, Any],
    assessment: Assessment,
    already_said: Iterable[str] = (),
) -> Dict[str, Any]:
    """Say the advice of every newly fired red flag; return the slot updates.

    Advice comes from the table, most urgent first. Flags in ``already_said`` were
    announced by ``utter_red_flag`` this turn and are only recorded.
    """
    announced = as_list(slots.get("announced_red_flags"))
    said = set(already_said)
    new = [f for f in assessment.red_flags if f.id not in announced]
    for flag in new:
        if flag.id not in said:
            dispatcher.utter_message(text=flag.advice)
    updates: Dict[str, Any] = {}
    recorded = announced + [i for i in [f.id for f in new] + sorted(said) if i not in announced]
    recorded = list(dict.fromkeys(recorded))
    if recorded != announced:
        updates["announced_red_flags"] = recorded
    if assessment.red_flags:
        # The slot type keeps the most urgent level ever set.
        updates["triage_level"] = assessment.red_flags[0].level.value
        updates["likely_causes"] = assessment.likely_causes
    return updates


def emergency_announced(slots: Mapping[str, Any], assessment: Assessment) -> bool:
    """An emergency-level red flag has fired: stop asking and send the person on."""
    level = slots.get("triage_level")
    return level in {lv.value for lv in EMERGENCY_LEVELS} or any(
        f.level in EMERGENCY_LEVELS for f in assessment.red_flags
    )
