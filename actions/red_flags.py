"""Records a red flag the NLU reported and keeps the level and causes in step."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.config import table
from actions.safety import announce_red_flags
from actions.state import assess_slots


class ActionHandleRedFlag(Action):
    """Runs after ``utter_red_flag`` (already said, without the action server)."""

    def name(self) -> str:
        return "action_handle_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots: Dict[str, Any] = dict(tracker.current_slot_values())
        assessment = assess_slots(slots, table())
        said = [slots["red_flag"]] if slots.get("red_flag") in table().red_flags else []
        updates = announce_red_flags(dispatcher, slots, assessment, already_said=said)
        if said and "triage_level" not in updates:
            updates["triage_level"] = table().red_flags[said[0]].level.value
            updates["likely_causes"] = assessment.likely_causes
        return [SlotSet(k, v) for k, v in updates.items()]
