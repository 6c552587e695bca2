"""The assessment at the end of the interview: level and advice first, then causes.

Given by the interview form's validation in the turn its last question is answered (one
action server call for that turn instead of two).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence

from rasa_sdk.executor import CollectingDispatcher

from actions.config import table
from triage.engine import Assessment, RankedCause, reason_phrases
from triage.table import Table

CAUSES_SHOWN = 3
REASONS_SHOWN = 3


def join_phrases(items: Sequence[str]) -> str:
    """ "a, b and c" (plain joining, no medical wording)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def say_causes(dispatcher: CollectingDispatcher, causes: Sequence[RankedCause], t: Table) -> None:
    """Up to three causes, each with why it fits in the person's own terms."""
    if not causes:
        return
    dispatcher.utter_message(response="utter_possible_causes_intro")
    for ranked in causes[:CAUSES_SHOWN]:
        cause = t.causes[ranked.cause_id]
        reasons = reason_phrases(ranked.supporting[:REASONS_SHOWN], t, present=True)
        if reasons:
            dispatcher.utter_message(
                response="utter_cause_line",
                cause_name=cause.name,
                summary=first_sentence(cause.explanation),
                reasons=join_phrases(reasons),
            )
        else:
            dispatcher.utter_message(
                response="utter_cause_line_no_reason",
                cause_name=cause.name,
                summary=first_sentence(cause.explanation),
            )


def say_assessment(dispatcher: CollectingDispatcher, assessment: Assessment, t: Table) -> None:
    """What to do and how soon, causes, checks, safe self-care, and the disclaimer."""
    level = t.levels[assessment.level.value]
    dispatcher.utter_message(response="utter_assessment_level", level_name=level.name, advice=level.advice)
    for flag in assessment.possible_red_flags[:1]:
        dispatcher.utter_message(response="utter_possible_red_flag", flag_name=flag.name)
    say_causes(dispatcher, assessment.causes, t)
    if assessment.causes:
        top = t.causes[assessment.causes[0].cause_id]
        tests = [t.tests[test_id].name for test_id in top.tests]
        dispatcher.utter_message(response="utter_doctor_may_check", tests=join_phrases(tests))
        dispatcher.utter_message(response="utter_meanwhile", tips=" ".join(top.self_care[:2]))
    dispatcher.utter_message(response="utter_not_a_diagnosis")


def give_assessment(dispatcher: CollectingDispatcher, assessment: Assessment) -> Dict[str, Any]:
    """Say ``assessment``; return the slots it sets (level and causes)."""
    say_assessment(dispatcher, assessment, table())
    return {"triage_level": assessment.level.value, "likely_causes": assessment.likely_causes}
