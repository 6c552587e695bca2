"""Custom actions, with tracker/dispatcher/domain fixtures in the style of Rasa's Sara demo."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.config import SCREEN_SLOT
from actions.interview import ValidateInterviewForm
from actions.red_flags import ActionHandleRedFlag
from actions.summary import ActionSummarizeForDoctor
from actions.topics import FAQ_BY_INTENT, ActionAnswerFaq, ActionExplainTopic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: Dict[str, Any] | None = None,
    intent: str = "describe_symptoms",
    text: str = "",
    entities: List[Dict[str, Any]] | None = None,
    active_form: bool = True,
    latest_action: str = "action_listen",
    nlu_slots: Dict[str, Any] | None = None,
) -> Tracker:
    all_slots: Dict[str, Any] = {**(slots or {}), **(nlu_slots or {})}
    # As Rasa sends it: the user's message, slots its entities filled, any actions since,
    # then the form itself.
    events: List[Dict[str, Any]] = [{"event": "user", "text": text}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (nlu_slots or {}).items()]
    if latest_action != "action_listen":
        events.append({"event": "action", "name": latest_action})
    if active_form:
        events.append({"event": "action", "name": "interview_form"})
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": entities or [],
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "interview_form"} if active_form else {},
        latest_action_name=latest_action,
    )


def run(
    action: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
) -> Dict[str, Any]:
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(dispatcher: CollectingDispatcher) -> List[str | None]:
    return [m.get("response") for m in dispatcher.messages]


# --- the interview ---------------------------------------------------------------


def test_no_to_the_screen_clears_every_sign_it_lists(dispatcher, domain, table):
    tracker = make_tracker(
        {"requested_slot": "screen_emergency", "screen_emergency": False}, intent="answer_no"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    for finding in table.questions["screen_emergency"].covers:
        assert slots[finding] is False
    assert slots["requested_slot"] not in table.questions["screen_emergency"].covers
    assert "screen_emergency" in slots["asked_questions"]


def test_not_sure_is_recorded_and_not_asked_again(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "back_pain", "screen_emergency": False}, intent="answer_unsure", text="not sure"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["unsure_findings"] == ["back_pain"]
    assert slots["requested_slot"] != "back_pain"


def test_a_yes_that_completes_a_red_flag_gets_advice_at_once(dispatcher, domain, table):
    tracker = make_tracker(
        {"requested_slot": "saddle_numbness", "screen_emergency": True, "saddle_numbness": True},
        intent="answer_yes",
        text="yes",
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["triage_level"] == "emergency"
    assert slots["likely_causes"][0] == "cauda_equina_syndrome"
    assert dispatcher.messages[0]["text"] == table.red_flags[slots["announced_red_flags"][0]].advice
    assert slots["requested_slot"] is None, "an emergency stops the questions"


def test_a_red_flag_read_in_the_latest_message_is_kept_whatever_came_before(dispatcher, domain, table):
    # "toes go white in the cold" earlier (Raynaud's), now "my foot has gone cold, pale and
    # blue": the message alone raises the blocked-artery flag, so its advice and level stand.
    tracker = make_tracker(
        {"requested_slot": "screen_emergency", "cold_triggers_colour_change": True},
        intent="report_red_flag",
        text="yes, my foot has gone cold and pale, a bit bluish",
        nlu_slots={
            "cold_pale_or_blue_leg": True,
            "red_flag": "acute_limb_ischaemia",
            "triage_level": "emergency_ambulance",
        },
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == table.red_flags["acute_limb_ischaemia"].advice
    assert slots["triage_level"] == "emergency_ambulance"
    assert slots["likely_causes"][0] == "acute_limb_ischemia"
    assert slots["requested_slot"] is None, "an emergency stops the questions"
    said_level = [m for m in dispatcher.messages if m.get("response") == "utter_assessment_level"]
    assert said_level and said_level[0]["level_name"] == table.levels["emergency_ambulance"].name


def test_free_text_answer_fills_a_descriptor(dispatcher, domain):
    tracker = make_tracker({"requested_slot": "location"}, text="the bottom of my left foot")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["location"] == "the bottom of my left foot"


def test_an_unreadable_answer_is_asked_again(dispatcher, domain):
    tracker = make_tracker({"requested_slot": "back_pain"}, text="hmm the weather is odd")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["requested_slot"] == "back_pain"
    assert slots["reasked_questions"] == ["back_pain"]
    assert "back_pain" not in slots
    assert responses(dispatcher) == ["utter_invalid_back_pain"]


def test_a_question_unanswered_twice_counts_as_not_sure(dispatcher, domain):
    slots_in = {"requested_slot": "back_pain", "reasked_questions": ["back_pain"]}
    slots = run(ValidateInterviewForm(), dispatcher, make_tracker(slots_in, text="hmm"), domain)
    assert slots["unsure_findings"] == ["back_pain"]
    assert slots["requested_slot"] != "back_pain"


@pytest.mark.parametrize(
    "text,value",
    [
        ("yes, my words came out all jumbled earlier", True),
        ("yeah a bit", True),
        ("no I haven't", False),
        ("no idea", None),
        ("yes maybe", None),
        ("no problems with my bladder, but now you ask my bum does feel a bit numb", None),
        # The grouped screen takes only a short no: a long one may describe a sign not yet read.
        ("nope, everything's been working normally down there as far as i can tell", None),
        ("no, though now i think about it i have been a bit clumsy", None),
        ("no feeling at all down there", None),
        ("no sensation when i wipe", None),
        # A yes after a few words of noticing is still a yes.
        ("now that I check, yes there is something", True),
    ],
)
def test_a_reply_starting_with_yes_or_no_answers_the_question(text, value, dispatcher, domain):
    tracker = make_tracker({"requested_slot": "screen_emergency"}, text=text)
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots.get("screen_emergency") is value


@pytest.mark.parametrize(
    "text,value",
    [
        ("no, i can walk on my tiptoes and heels without any trouble at all", False),
        ("no it's completely back to normal now, it was only numb for a minute", None),
        ("no but my legs have been giving way on the stairs since monday", None),
        # The thing asked about, disowned: "not X exactly / as such".
        ("not weak as such, more like stiff and achy after a long day", False),
        ("not really weak, they just feel tired", False),
        ("not weak I don't think, more wobbly on my feet", False),
        ("no, it was just the tingling, I could walk fine after a minute", False),
        ("no, only the numbness but it spreads up to my knee now", None),
        ("not weak exactly, but my knee buckled twice today", None),
        ("not sure exactly", None),
    ],
)
def test_a_long_no_counts_unless_it_turns(text, value, dispatcher, domain):
    tracker = make_tracker({"requested_slot": "leg_weakness"}, intent="describe_symptoms", text=text)
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots.get("leg_weakness") is value


def test_a_long_no_that_reports_a_finding_is_not_a_plain_no(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "bladder_bowel_problems"},
        intent="describe_symptoms",
        text="nope not with peeing, my bum and between my legs went numb this morning",
        nlu_slots={"saddle_numbness": True},
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots.get("bladder_bowel_problems") is None


@pytest.mark.parametrize(
    "text,value",
    [
        ("no, not weak, just heavy and my back aches when i walk far", False),
        ("nope not weak more like my lower back cramps up on the hill", False),
        ("no, not weak, but my back gave out on the stairs today", None),
    ],
)
def test_a_no_that_names_and_denies_the_sign_stands_beside_another_finding(text, value, dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "leg_weakness"},
        intent="describe_symptoms",
        text=text,
        nlu_slots={"back_pain": True},
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots.get("leg_weakness") is value


def test_a_plain_no_wins_over_a_doubtful_classification(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "cancer_history"}, intent="answer_unsure", text="no, not that I've noticed"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["cancer_history"] is False
    assert "unsure_findings" not in slots


@pytest.mark.parametrize("intent", ["answer_unsure", "describe_symptoms", "nlu_fallback"])
def test_a_plain_no_to_the_screen_clears_every_sign_whatever_the_classifier_heard(
    intent, dispatcher, domain, table
):
    tracker = make_tracker(
        {"requested_slot": "screen_emergency"}, intent=intent, text="no, not that I've noticed"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    for finding in table.questions["screen_emergency"].covers:
        assert slots[finding] is False
    assert slots["requested_slot"] not in table.questions["screen_emergency"].covers


def test_a_not_sure_recorded_twice_is_kept_once(dispatcher, domain):
    slots_in = {"requested_slot": "back_pain", "unsure_findings": ["back_pain"]}
    tracker = make_tracker(slots_in, intent="answer_unsure", latest_action="action_handle_red_flag")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert "unsure_findings" not in slots
    assert slots["requested_slot"] != "back_pain"


def test_a_question_mid_interview_lets_the_form_step_aside(dispatcher, domain):
    tracker = make_tracker({"requested_slot": "duration"}, intent="ask_cause", text="what is sciatica?")
    assert asyncio.run(ValidateInterviewForm().run(dispatcher, tracker, domain)) == []


def test_returning_after_a_digression_asks_again(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "duration"}, intent="ask_cause", latest_action="action_explain_topic"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["requested_slot"] is not None


# --- red flags and the assessment ------------------------------------------------


def test_red_flag_from_nlu_is_recorded_without_repeating_its_advice(dispatcher, domain):
    tracker = make_tracker(
        {"red_flag": "stroke_tia", "face_arm_speech_vision": True},
        intent="report_red_flag",
        active_form=False,
    )
    slots = run(ActionHandleRedFlag(), dispatcher, tracker, domain)
    assert slots["triage_level"] == "emergency_ambulance"
    assert slots["likely_causes"][0] == "stroke_tia"
    assert "stroke_tia" in slots["announced_red_flags"]
    assert dispatcher.messages == []


def _typical_slots(table, cause_id: str) -> Dict[str, Any]:
    typical = table.causes[cause_id].typical_findings
    slots: Dict[str, Any] = {k: v for k, v in typical.items() if k != "flags"}
    slots.update(typical["flags"])
    return slots


def test_last_answer_gets_the_assessment_in_the_same_reply(dispatcher, domain, table, monkeypatch):
    # The engine has nothing left to ask: the form ends, and its validation gives the assessment.
    monkeypatch.setattr("actions.interview.next_questions", lambda *args: [])
    slots_in = _typical_slots(table, "diabetic_neuropathy")
    slots_in["requested_slot"] = "diabetes"
    tracker = make_tracker(slots_in, intent="answer_yes", text="yes")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["requested_slot"] is None
    assert slots["triage_level"] == "consultation"
    assert "diabetic_neuropathy" in slots["likely_causes"][:3]
    said = responses(dispatcher)
    assert said[0] == "utter_assessment_level"
    assert said[-1] == "utter_not_a_diagnosis"
    assert "utter_cause_line" in said


def test_no_assessment_while_questions_remain(dispatcher, domain, table):
    slots_in = {"location": "feet", "side": "both", "requested_slot": "onset"}
    tracker = make_tracker(slots_in, intent="describe_symptoms", text="gradually")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["requested_slot"] is not None
    assert "triage_level" not in slots and "likely_causes" not in slots
    assert "utter_assessment_level" not in responses(dispatcher)


def test_assessment_after_an_emergency_keeps_the_advice_once(dispatcher, domain, table):
    # A red flag ends the interview: advice first, said once, then the assessment.
    slots_in = {"location": "left leg", "side": "left", "requested_slot": SCREEN_SLOT}
    tracker = make_tracker(
        {**slots_in, "face_arm_speech_vision": True}, intent="answer_yes", text="yes his face is drooping"
    )
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["requested_slot"] is None
    assert slots["triage_level"] == "emergency_ambulance"
    stroke = table.red_flags["stroke_tia"].advice
    texts = [m.get("text") for m in dispatcher.messages]
    assert texts[0] == stroke and texts.count(stroke) == 1
    assert responses(dispatcher).count("utter_assessment_level") == 1


# --- answers outside the interview -----------------------------------------------


def test_explains_a_named_cause(dispatcher, domain):
    entities = [{"entity": "cause", "value": "sciatica"}]
    tracker = make_tracker(intent="ask_cause", entities=entities, active_form=False)
    run(ActionExplainTopic(), dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_explain_cause"]
    assert dispatcher.messages[0]["cause_name"]


@pytest.mark.parametrize(
    "intent,response",
    [
        ("ask_cause", "utter_causes_overview"),
        ("ask_test", "utter_tests_overview"),
        ("ask_treatment", "utter_treatments_overview"),
        ("ask_prevention", "utter_prevention_overview"),
    ],
)
def test_general_questions_get_an_overview(intent, response, dispatcher, domain):
    run(ActionExplainTopic(), dispatcher, make_tracker(intent=intent, active_form=False), domain)
    assert responses(dispatcher) == [response]


@pytest.mark.parametrize("intent", sorted(FAQ_BY_INTENT))
def test_every_faq_intent_is_answered_from_the_table(intent, dispatcher, domain, table):
    run(ActionAnswerFaq(), dispatcher, make_tracker(intent=intent, active_form=False), domain)
    assert dispatcher.messages[0]["answer"] == table.faq[FAQ_BY_INTENT[intent]].answer


def test_summary_lists_present_and_absent_findings(dispatcher, domain):
    slots_in = {"back_pain": True, "saddle_numbness": False, "duration": "3 weeks", "location": "left leg"}
    run(ActionSummarizeForDoctor(), dispatcher, make_tracker(slots_in, active_form=False), domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_summary"
    assert message["duration"] == "3 weeks"
    assert "back pain" in message["present"]


def test_summary_before_anything_was_said(dispatcher, domain):
    run(ActionSummarizeForDoctor(), dispatcher, make_tracker({}, active_form=False), domain)
    assert responses(dispatcher) == ["utter_no_assessment_yet"]


# --- the domain and the code agree -------------------------------------------------


def _strings_in_actions(prefix: str) -> set:
    found = set()
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(prefix)
            ):
                found.add(node.value)
    return found


def test_every_response_used_in_code_exists_in_the_domain(domain):
    used = _strings_in_actions("utter_")
    prefixes = {name for name in used if name.endswith("_")}  # f"utter_invalid_{slot}"
    assert used - prefixes, "the scan found the responses the actions use"
    assert used - prefixes <= set(domain["responses"])
    assert prefixes == {"utter_invalid_"}


def test_every_action_is_declared_in_the_domain(domain):
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) <= set(domain["actions"]) | set(domain["forms"]) | {
        "validate_interview_form"
    }
    assert set(domain["actions"]) <= set(executor.actions)


def test_every_interview_question_has_a_response_and_a_slot(domain, table):
    for slot in table.questions:
        assert f"utter_ask_{slot}" in domain["responses"]
        assert f"utter_invalid_{slot}" in domain["responses"]
        assert slot in domain["slots"]


def test_generated_domain_is_up_to_date():
    from scripts.build_domain import main

    assert main(["--check"]) == 0


def test_no_to_what_brings_it_on_answers_the_pattern_findings(dispatcher, domain, table):
    tracker = make_tracker({"requested_slot": "pattern"}, intent="answer_no", text="no nothing really")
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    for finding in table.questions["pattern"].covers:
        assert slots[finding] is False
    assert slots["pattern"] == "no nothing really"


def _asking_duration_with_onset_known(table) -> Dict[str, Any]:
    """Slots of an interview whose next question is "how long, and suddenly or gradually?"."""
    screen = {name: False for name in table.questions["screen_emergency"].covers}
    return {
        **screen,
        "screen_emergency": False,
        "leg_weakness": False,
        "back_pain": False,
        "location": "both feet",
        "side": "both",
        "requested_slot": "duration",
        "onset": "gradual",
    }


def test_half_an_answer_to_a_two_part_question_asks_only_the_rest(dispatcher, domain, table):
    slots_in = _asking_duration_with_onset_known(table)
    tracker = make_tracker(slots_in, text="gradually")
    # NLU filled the onset part this turn (between the message and the form).
    tracker.events.insert(1, {"event": "slot", "name": "onset", "value": "gradual"})
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert "duration" not in slots  # "gradually" is not a duration
    assert "reasked_questions" not in slots  # not a failed try
    assert slots["requested_slot"] == "duration"
    assert responses(dispatcher) == []
    short = [v for v in domain["responses"]["utter_ask_duration"] if v.get("condition")]
    assert {c["condition"][0]["value"] for c in short} == {"sudden", "gradual"}
    assert all("suddenly or gradually" not in v["text"] for v in short)


def test_repeating_an_already_known_part_of_a_two_part_question_cannot_loop(dispatcher, domain, table):
    slots_in = _asking_duration_with_onset_known(table)
    tracker = make_tracker(slots_in, text="it crept up slowly")
    # The onset was known before this message and NLU set it again.
    tracker.events.insert(0, {"event": "slot", "name": "onset", "value": "gradual"})
    tracker.events.insert(2, {"event": "slot", "name": "onset", "value": "gradual"})
    first = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    # Not a half answer: the free text is taken as the duration and the interview moves on.
    assert first["duration"] == "it crept up slowly"
    assert first["requested_slot"] != "duration"


def test_an_answer_read_as_small_talk_again_and_again_counts_as_not_sure(dispatcher, domain):
    tracker = make_tracker(
        {"requested_slot": "vegan_or_b12_risk"}, intent="ask_off_topic", text="she hardly eats meat or eggs"
    )
    # The question was put twice before, each time answered with the same words.
    earlier = [
        {"event": "slot", "name": "requested_slot", "value": "vegan_or_b12_risk"},
        {"event": "user", "text": "she hardly eats meat or eggs"},
        {"event": "action", "name": "utter_out_of_scope"},
        {"event": "user", "text": "she hardly eats meat or eggs"},
        {"event": "action", "name": "utter_out_of_scope"},
    ]
    tracker.events[:0] = earlier
    slots = run(ValidateInterviewForm(), dispatcher, tracker, domain)
    assert slots["unsure_findings"] == ["vegan_or_b12_risk"]
    assert slots["requested_slot"] != "vegan_or_b12_risk"
    # The first time, the same message is a digression: the form steps aside.
    first = make_tracker(
        {"requested_slot": "vegan_or_b12_risk"}, intent="ask_off_topic", text="she hardly eats meat or eggs"
    )
    first.events[:0] = earlier[:1]
    assert run(ValidateInterviewForm(), dispatcher, first, domain) == {}
