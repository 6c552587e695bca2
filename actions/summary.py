"""A short summary for the person's doctor, ready to copy."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import join_phrases
from actions.config import table
from actions.state import assess_slots, findings_from_slots
from triage.contract import FINDINGS


class ActionSummarizeForDoctor(Action):
    """Findings present and absent, duration, the triage level and possible causes."""

    def name(self) -> str:
        return "action_summarize_for_doctor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots: Dict[str, Any] = dict(tracker.current_slot_values())
        t = table()
        findings = findings_from_slots(slots)
        if not findings.flags and not any(slots.get(d) for d in ("location", "duration", "onset")):
            dispatcher.utter_message(response="utter_no_assessment_yet")
            return []
        assessment = assess_slots(slots, t)
        wording = t.features
        present = [wording[f].present for f in FINDINGS if findings.get(f) is True and f in wording]
        absent = [wording[f].absent for f in FINDINGS if findings.get(f) is False and f in wording]
        level_id = slots.get("triage_level") or assessment.level.value
        causes = [
            t.causes[c].name
            for c in (slots.get("likely_causes") or assessment.likely_causes)
            if c in t.causes
        ]
        dispatcher.utter_message(
            response="utter_summary",
            location=slots.get("location") or "not given",
            side=slots.get("side") or "not given",
            onset=slots.get("onset") or "not given",
            duration=slots.get("duration") or "not given",
            progression=(slots.get("progression") or "not given").replace("_", " "),
            present=join_phrases(present) or "none reported",
            absent=join_phrases(absent) or "none recorded",
            level=t.levels[level_id].name if level_id in t.levels else level_id,
            causes=join_phrases(causes) or "not assessed yet",
        )
        return []
