"""The interview form: records answers, raises red flags, and picks the next question."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Set

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.assessment import give_assessment
from actions.config import MAX_TEXT_ANSWER, SCREEN_SLOT, table
from actions.safety import announce_red_flags, emergency_announced
from actions.state import as_list, assess_slots, findings_from_slots, latest_intent
from triage.contract import DESCRIPTORS, FINDINGS
from triage.engine import next_questions
from triage.table import Question

# Descriptors whose answer may be taken as said when no entity was recognised.
TEXT_ANSWER_SLOTS = ("location", "duration", "pattern")
DESCRIPTIVE_INTENTS = ("describe_symptoms", "report_red_flag", "answer_yes", "answer_no")
INTERVIEW_SLOTS = frozenset(FINDINGS) | frozenset(DESCRIPTORS) | {SCREEN_SLOT}
_NUMBER = re.compile(r"\b(\d{1,3})\b")
# A short reply that starts with yes / no, when the classifier read it as something else.
# "now that I look, yeah ...", "actually yes": a yes after a few words of noticing.
_YES = re.compile(
    r"^\W*(?:(?:now (?:that )?i (?:look|check|think about it|mention it)|come to think of it"
    r"|actually|oh|hmm+|well)\W+)?(yes|yeah|yep|yup|yh|ya|yea|aye|sure|definitely|i do|i have|i did"
    r"|correct|right)\b"
)
# "No feeling down there" reports a loss, it does not deny one.
_NO = re.compile(
    r"^\W*(no(?!\s+(feeling|sensation|strength|power|control|grip|movement|use)\b)|nope|nah|nay"
    r"|none|never|not really|not at all|not recently|not lately|not that i"
    r"|i don'?t|i haven'?t|i didn'?t"
    # "not weak exactly, just heavy", "not numb as such", "not weak I don't think": the thing
    # asked about, disowned.
    r"|not\s+(?!sure\b|certain\b)[\w']+(?:\s+[\w']+)?\W+"
    r"(?:exactly|as such|particularly|per se|i don'?t think))\b"
)
# "no, not weak, just heavy when I walk": the asked thing named and denied, so the no stands
# even though the rest of the reply reports another finding.
_DISOWN = re.compile(
    r"^\W*(?:no|nope|nah)\W+not\s+(?!sure\b|certain\b|that\b|with\b|at\b)[\w']+\W*(?:,|just\b|more\b)"
)
# "no, it was only the numbness": the complaint itself, nothing more; "only" does not turn it.
_ONLY_THE_COMPLAINT = re.compile(
    r"^\W*(?:no|nope|nah)\W+(?:it\W?s|its|it was|it is|just|only)\s+(?:only\s+|just\s+)?the\s+"
    r"(?:numbness|tingling|tingle|pins and needles|numb feeling|dead feeling|feeling)\b"
)
_BUT_WORDS = r"but|though|although|except|apart from|other than|however"
_BUT = re.compile(rf"\b({_BUT_WORDS})\b")
# A longer reply that starts with no is still a no unless it turns ("no, but...").
_TURN = re.compile(
    rf"\b({_BUT_WORDS}|actually|only|sometimes|now you (ask|mention|say)|come to think|now i think|well)\b"
)
_DOUBT = re.compile(
    r"\b(idea|sure|know|unsure|maybe|perhaps|possibly|dunno|idk|not certain|hard to say|think so)\b"
)
SHORT_REPLY_WORDS = 6
# After this many replies to one question that answer nothing, it counts as "not sure": an
# answer the classifier keeps reading as small talk must not loop the interview.
MAX_TRIES = 3
# Intents that may carry an answer; anything else (a question, small talk) is a digression.
ANSWER_INTENTS = DESCRIPTIVE_INTENTS + ("answer_unsure", "nlu_fallback")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _leading_yes_no(text: str, raised: bool = False, long_no: bool = True) -> bool | None:
    """Yes/no from the first words of a reply the classifier did not read as one.

    A leading yes counts in any reply (it can only raise concern). A leading no counts in
    a short reply, and in a longer one that neither turns ("no problems with my bladder,
    but my bum is numb") nor reports a finding (``raised``): "no, I can still walk on my
    heels fine" is a no, and so is "no, not weak, just heavy" whatever else it reports.
    ``long_no=False`` (the grouped warning-sign screen, where a long reply
    may describe a sign the lexicon missed) keeps only short ones. Words of doubt ("no idea",
    "yes maybe") make it a not-sure instead.
    """
    lowered = text.lower().strip()
    if _DOUBT.search(lowered):
        return None
    if _YES.match(lowered):
        return True
    if _NO.match(lowered) and (
        len(lowered.split()) <= SHORT_REPLY_WORDS
        or (
            long_no
            and _ONLY_THE_COMPLAINT.match(lowered) is not None
            and not raised
            and not _BUT.search(lowered)
        )
        or (long_no and not _TURN.search(lowered) and (not raised or _DISOWN.match(lowered)))
    ):
        return False
    return None


def _slots_set_this_turn(tracker: Tracker) -> Set[str]:
    """Slots set since the latest user message (by NLU mappings or the form)."""
    names: Set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            names.add(event.get("name"))
    return names


def _known_before_this_turn(tracker: Tracker, name: str) -> bool:
    """Whether slot ``name`` had a value before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value") is not None
    return False


def _half_answered(tracker: Tracker, question: Question | None, changed: Set[str]) -> bool:
    """This message answered only the other part of a two-part question.

    Only a part that was unknown before counts, so repeating a known part cannot loop.
    """
    return question is not None and any(
        name in changed and not _known_before_this_turn(tracker, name) for name in question.also_asks
    )


def _tries_at(tracker: Tracker, requested: str) -> int:
    """User messages sent while ``requested`` was the open question (this one included)."""
    current = None
    tries = 0
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            current = event.get("value")
        elif event.get("event") == "user" and current == requested:
            tries += 1
    return tries


def _answers_latest_message(tracker: Tracker) -> bool:
    """The form is validating the user's latest message (not returning after a digression).

    Rasa appends ``ActionExecuted(<form>)`` to the tracker it sends here, so look past
    the form and slot events: only NLU slot extraction may stand between the user's
    message and the form when the message is an answer.
    """
    seen_form = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind != "action":
            continue
        name = event.get("name")
        if name == tracker.active_loop.get("name") and not seen_form:
            seen_form = True
        elif name not in ("action_extract_slots", "action_listen"):
            return False
    return False


class ValidateInterviewForm(FormValidationAction):
    """Dynamic interview: asks only what is unknown and still worth asking."""

    def name(self) -> str:
        return "validate_interview_form"

    def _record_answer(
        self,
        tracker: Tracker,
        slots: Dict[str, Any],
        requested: str | None,
        intent: str | None,
        changed: Set[str],
        partial: bool,
    ) -> Dict[str, Any]:
        """Slot updates for the answer to the requested question (empty if none).

        ``partial``: the message answered only the other part of a two-part question.
        """
        updates: Dict[str, Any] = {}
        text = tracker.latest_message.get("text") or ""
        answered = requested is not None and slots.get(requested) is not None
        unsure = as_list(slots.get("unsure_findings"))
        question = table().questions.get(requested) if requested else None
        yes_no = question is not None and question.kind == "yes_no"
        informative = bool(changed & INTERVIEW_SLOTS)
        if requested and requested in unsure:
            answered = True
        elif requested and not answered:
            # "no, not that I've noticed" is a no even if the classifier heard doubt.
            raised = any(slots.get(name) is True for name in changed & set(FINDINGS))
            grouped = question is not None and bool(question.covers)
            plain = _leading_yes_no(text, raised, long_no=not grouped) if yes_no else None
            if plain is not None:
                updates[requested] = plain
                answered = True
            elif intent == "answer_unsure":
                updates["unsure_findings"] = unsure + [requested]
                answered = True
            elif (
                requested in TEXT_ANSWER_SLOTS
                and not partial
                and (intent in DESCRIPTIVE_INTENTS or informative)
                and text.strip()
            ):
                updates[requested] = _clip(text, MAX_TEXT_ANSWER)
                answered = True
            elif requested == "age" and intent in DESCRIPTIVE_INTENTS:
                match = _NUMBER.search(text)
                if match and 0 < int(match.group(1)) < 120:
                    updates["age"] = float(match.group(1))
                    answered = True
        # The answer may have been read just above (a leading "no"), not by NLU.
        said_no = intent == "answer_no" or (
            requested is not None and updates.get(requested, slots.get(requested)) is False
        )
        if question is not None and question.covers and said_no:
            # "No" to a grouped question answers each thing it lists.
            for finding in question.covers:
                if slots.get(finding) is None:
                    updates[finding] = False
        if answered and requested:
            asked = as_list(slots.get("asked_questions"))
            if requested not in asked:
                updates["asked_questions"] = asked + [requested]
        return updates

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        slots: Dict[str, Any] = dict(tracker.current_slot_values())
        requested = slots.get("requested_slot")
        intent = latest_intent(tracker)
        validating = bool(tracker.active_loop) and _answers_latest_message(tracker)
        changed = _slots_set_this_turn(tracker) - {"requested_slot"}
        # Half of a two-part question was answered ("gradually" to "how long, and suddenly or
        # gradually?"): ask the rest, not as a failed try.
        question = table().questions.get(requested) if requested else None
        partial = _half_answered(tracker, question, changed)

        # Every step is idempotent: the form may call this twice for one message.
        updates = self._record_answer(tracker, slots, requested, intent, changed, partial)
        got_answer = bool(updates)
        slots.update(updates)

        findings = findings_from_slots(slots)
        assessment = assess_slots(slots, table())
        flag_updates = announce_red_flags(dispatcher, slots, assessment)
        slots.update(flag_updates)
        updates.update(flag_updates)

        relevant = bool(changed & INTERVIEW_SLOTS) or bool(flag_updates)
        if validating and requested and not got_answer and not partial:
            worn_out = _tries_at(tracker, requested) >= MAX_TRIES
            if not relevant and intent not in ANSWER_INTENTS and not worn_out:
                # A question or small talk: let the form reject so a digression rule
                # can answer, then the form comes back to its question.
                return []
            reasked = as_list(slots.get("reasked_questions"))
            if requested in reasked or worn_out:
                # Asked twice without an answer we can read: take it as "not sure", move on.
                updates["unsure_findings"] = as_list(slots.get("unsure_findings")) + [requested]
                updates["asked_questions"] = as_list(slots.get("asked_questions")) + [requested]
                slots.update(updates)
                findings = findings_from_slots(slots)
                assessment = assess_slots(slots, table())
            else:
                updates["reasked_questions"] = reasked + [requested]
                if not relevant:
                    # An answer we could not read: say so, and ask the same question again.
                    dispatcher.utter_message(response=f"utter_invalid_{requested}")
                    return [SlotSet(k, v) for k, v in updates.items()] + [
                        SlotSet("requested_slot", requested)
                    ]

        if emergency_announced(slots, assessment):
            upcoming: List[str] = []
        else:
            upcoming = next_questions(findings, table(), as_list(slots.get("asked_questions")))
        if not upcoming:
            # Nothing left to ask: the form ends with this reply, so the assessment comes with it.
            updates.update(give_assessment(dispatcher, assessment))
        events: List[EventType] = [SlotSet(k, v) for k, v in updates.items()]
        events.append(SlotSet("requested_slot", upcoming[0] if upcoming else None))
        return events
