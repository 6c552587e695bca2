"""Answers outside the interview: causes, tests, treatments, prevention and the FAQ."""

from __future__ import annotations

from typing import Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.assessment import join_phrases
from actions.config import table
from actions.state import latest_intent

FAQ_BY_INTENT: Dict[str, str] = {
    "ask_recovery_time": "recovery_time",
    "ask_exercise": "exercise",
    "ask_reversibility": "reversibility",
    "ask_supplements": "supplements",
    "ask_seriousness": "seriousness",
}


def _latest_entity(tracker: Tracker, entity: str, known: object) -> str | None:
    for value in tracker.get_latest_entity_values(entity):
        if isinstance(value, str) and value in known:  # type: ignore[operator]
            return value
    return None


class ActionExplainTopic(Action):
    """Explains a cause, a test, treatment or prevention from the table."""

    def name(self) -> str:
        return "action_explain_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        t = table()
        intent = latest_intent(tracker)
        cause_id = _latest_entity(tracker, "cause", t.causes)
        test_id = _latest_entity(tracker, "diagnostic_test", t.tests)
        if intent == "ask_test" or (test_id and not cause_id):
            if test_id:
                test = t.tests[test_id]
                dispatcher.utter_message(response="utter_explain_test", name=test.name, what=test.what)
            else:
                lines = "\n".join(f"- {x.name}: {x.what}" for x in t.tests.values())
                dispatcher.utter_message(response="utter_tests_overview", tests=lines)
        elif intent == "ask_treatment":
            if cause_id:
                cause = t.causes[cause_id]
                dispatcher.utter_message(
                    response="utter_cause_treatment",
                    cause_name=cause.name,
                    treatments=" ".join(cause.treatments),
                )
            else:
                lines = "\n".join(f"- {x.name}: {x.text}" for x in t.treatments.values())
                dispatcher.utter_message(response="utter_treatments_overview", treatments=lines)
        elif intent == "ask_prevention":
            if cause_id and t.causes[cause_id].prevention:
                cause = t.causes[cause_id]
                dispatcher.utter_message(
                    response="utter_cause_prevention",
                    cause_name=cause.name,
                    tips=" ".join(cause.prevention),
                )
            else:
                lines = "\n".join(f"- {x.name}: {x.text}" for x in t.prevention.values())
                dispatcher.utter_message(response="utter_prevention_overview", tips=lines)
        elif cause_id:
            cause = t.causes[cause_id]
            dispatcher.utter_message(
                response="utter_explain_cause",
                cause_name=cause.name,
                explanation=cause.explanation,
                see_doctor=cause.see_doctor,
            )
        else:
            names = join_phrases([c.name for c in t.causes.values()])
            dispatcher.utter_message(response="utter_causes_overview", causes=names)
        return []


class ActionAnswerFaq(Action):
    """One of the seeds' frequently asked questions, in the table's words."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        entry = table().faq.get(FAQ_BY_INTENT.get(intent, ""))
        if entry is None:
            dispatcher.utter_message(response="utter_please_rephrase")
        else:
            dispatcher.utter_message(response="utter_faq_answer", answer=entry.answer)
        return []
