"""The Rasa component: entities, the red-flag intent override and the language check."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.clinical_extractor import RED_FLAG_EXTRACTOR, ClinicalFindingsExtractor, read_message
from addons.sanitizer import sanitize
from triage.table import Table

EXTRACTOR = "ClinicalFindingsExtractor"


@pytest.fixture(scope="module")
def component(tmp_path_factory) -> ClinicalFindingsExtractor:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), model_id="test")
    return ClinicalFindingsExtractor.create(
        ClinicalFindingsExtractor.get_default_config(), storage, Resource("clinical"), context
    )


def run(
    component: ClinicalFindingsExtractor,
    text: str,
    intent: str = "describe_symptoms",
    confidence: float = 0.8,
    entities: Optional[List[Dict[str, Any]]] = None,
) -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 1 - confidence}]
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking,
            "entities": list(entities or []),
        }
    )
    component.process([message])
    return message


def ours(message: Message, extractor: str = EXTRACTOR) -> Dict[str, Any]:
    return {e["entity"]: e for e in message.get("entities") if e.get("extractor") == extractor}


def test_registered_as_an_entity_extractor():
    registered = DefaultV1Recipe._from_registry("addons.clinical_extractor.ClinicalFindingsExtractor")
    assert registered.clazz is ClinicalFindingsExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert not registered.is_trainable


def test_uses_the_real_table(component):
    assert isinstance(component.table, Table)
    assert "stroke_tia" in component.table.red_flags


def test_entities_for_findings_and_descriptors(component):
    text = "my left foot has been numb and tingling for 3 weeks, getting worse, no back pain. I'm 54F"
    message = run(component, text)
    found = ours(message)
    assert found["back_pain"]["value"] is False
    assert found["side"]["value"] == "left"
    assert found["location"]["value"] == "left foot"
    assert found["duration"]["value"] == "3 weeks"
    assert found["progression"]["value"] == "worsening"
    assert found["age"]["value"] == 54
    assert found["sex"]["value"] == "female"
    assert found["symptom"]["value"] in ("numbness", "tingling")
    for entity in found.values():
        assert entity["confidence"] == 1.0
        assert text[entity["start"] : entity["end"]]
    assert message.get("intent")["name"] == "describe_symptoms"
    assert "red_flag" not in ours(message, RED_FLAG_EXTRACTOR)


def test_family_and_hypothetical_mentions_are_not_findings(component):
    message = run(component, "my dad had a stroke and my mum has diabetes, I'm worried it's MS")
    found = ours(message)
    assert "diabetes" not in found and "face_arm_speech_vision" not in found
    assert found["cause"]["value"] == "multiple_sclerosis"
    assert message.get("intent")["name"] == "describe_symptoms"


def test_several_places_make_one_location(component):
    found = ours(run(component, "numb left foot and shin"))
    assert found["location"]["value"] == "left foot and shin"


@pytest.mark.parametrize(
    "text,flag,level,words",
    [
        (
            "my face is drooping and my speech is slurred",
            "stroke_tia",
            "emergency_ambulance",
            "face is drooping",
        ),
        (
            "I've lost control of my bladder and my groin is numb",
            "cauda_equina",
            "emergency",
            "groin is numb",
        ),
        ("I can't feel my bum and my back is killing me", "cauda_equina", "emergency", "feel my bum"),
        (
            "my foot is cold and white and really painful",
            "acute_limb_ischaemia",
            "emergency_ambulance",
            "cold",
        ),
    ],
)
def test_red_flag_overrides_the_intent(component, text, flag, level, words):
    message = run(component, text, intent="describe_symptoms", confidence=0.9)
    assert message.get("intent") == {"name": "report_red_flag", "confidence": 1.0}
    ranking = [r["name"] for r in message.get("intent_ranking")]
    assert ranking[0] == "report_red_flag" and "describe_symptoms" in ranking
    detected = ours(message, RED_FLAG_EXTRACTOR)
    assert detected["red_flag"]["value"] == flag
    assert detected["triage_level"]["value"] == level
    span = text[detected["red_flag"]["start"] : detected["red_flag"]["end"]]
    assert words in span
    assert (detected["triage_level"]["start"], detected["triage_level"]["end"]) == (
        detected["red_flag"]["start"],
        detected["red_flag"]["end"],
    )


@pytest.mark.parametrize(
    "text",
    [
        "no bladder problems and no numbness down there",
        "I don't have any weakness or bladder problems",
        "I'm worried it could be a stroke",
        "my dad had a stroke last year",
        "what if I lose control of my bladder?",
    ],
)
def test_negated_or_hypothetical_red_flag_is_not_reported(component, text):
    message = run(component, text, intent="report_red_flag", confidence=0.7)
    assert message.get("intent") == {"name": "describe_symptoms", "confidence": 0.7}
    assert message.get("intent_ranking")[0]["name"] == "describe_symptoms"
    assert not ours(message, RED_FLAG_EXTRACTOR)


def test_negated_findings_are_entities_with_false(component):
    found = ours(run(component, "no bladder problems and no numbness down there", intent="report_red_flag"))
    assert found["bladder_bowel_problems"]["value"] is False
    assert found["saddle_numbness"]["value"] is False


def test_non_english_message(component):
    message = run(
        component, "tengo hormigueo en los pies desde hace tres semanas", intent="describe_symptoms"
    )
    assert message.get("intent")["name"] == "speak_other_language"
    english = run(component, "my feet have been tingling for three weeks")
    assert english.get("intent")["name"] == "describe_symptoms"


def test_our_entities_replace_the_classifiers_of_the_same_type(component):
    diet = {"entity": "side", "value": "right", "start": 0, "end": 2, "extractor": "DIETClassifier"}
    other = {"entity": "number", "value": 3, "start": 0, "end": 1, "extractor": "DucklingEntityExtractor"}
    message = run(component, "my left leg is numb", entities=[diet, other])
    sides = [e for e in message.get("entities") if e["entity"] == "side"]
    assert [e["value"] for e in sides] == ["left"]
    assert other in message.get("entities")


def test_intent_messages_and_empty_text_are_left_alone(component):
    message = Message(data={"text": "/greet", "intent": {"name": "greet", "confidence": 1.0}})
    component.process([message])
    assert message.get("intent") == {"name": "greet", "confidence": 1.0}
    assert not message.get("entities")
    empty = Message(data={"text": ""})
    component.process([empty])
    assert not empty.get("entities")


def test_training_data_passes_through(component):
    data = TrainingData()
    assert component.process_training_data(data) is data


@pytest.mark.parametrize(
    "text,flag",
    [
        ("my words came out all jumbled earlier today, it's gone now", "stroke_tia"),
        ("I think I'm having a stroke", "stroke_tia"),
        ("I think she's having a stroke", "stroke_tia"),
        ("my mouth went funny and my leg is numb", "stroke_tia"),
        ("my vision went blurry an hour ago but it's fine now", "stroke_tia"),
        ("the numbness stops in a line round my waist like a belt", "spinal_cord_level"),
        ("numb from the chest down", "spinal_cord_level"),
        ("my bum does feel a bit numb and my back is killing me", "cauda_equina"),
        ("tingling spreading up from my feet and I'm finding it hard to swallow", "guillain_barre_severe"),
        ("my foot went cold and pale and it's agony", "acute_limb_ischaemia"),
    ],
)
def test_red_flags_from_lay_wording(component, text, flag):
    detected = ours(run(component, text), RED_FLAG_EXTRACTOR)
    assert detected["red_flag"]["value"] == flag


@pytest.mark.parametrize(
    "text,not_flag",
    [
        ("no its not a stroke, my face and arms are fine and I'm talking normal", "stroke_tia"),
        ("nothing wrong with my face or arms and no problem with my speech", "stroke_tia"),
        ("last year my eyesight went blurry in one eye for a few days", "stroke_tia"),
        ("last year I had this weird blurry eye thing that went away by itself", "stroke_tia"),
        ("I'm scared it might be a stroke", "stroke_tia"),
        ("my toes go white then blue and numb when its cold out, then go red", "acute_limb_ischaemia"),
        ("when I'm stressed or in the freezer aisle my toes turn white as a sheet", "acute_limb_ischaemia"),
    ],
)
def test_no_emergency_from_fine_past_or_triggered_wording(component, text, not_flag):
    detected = ours(run(component, text), RED_FLAG_EXTRACTOR)
    assert detected.get("red_flag", {}).get("value") != not_flag


# ------------------------------------------------------------------ entity spans (annotation conventions)


def spans(message: Message, label: str, extractor: str = EXTRACTOR) -> List[str]:
    """The words each entity of ``label`` covers, in order of appearance."""
    text = message.get("text")
    found = [e for e in message.get("entities") if e["entity"] == label and e.get("extractor") == extractor]
    return [text[e["start"] : e["end"]] for e in sorted(found, key=lambda e: e["start"])]


def values(message: Message, label: str) -> set:
    return {e["value"] for e in message.get("entities") if e["entity"] == label}


def test_side_and_location_spans_hold_the_side_word_and_each_body_part(component):
    message = run(component, "numbness in my right foot and it's spreading up to my ankle")
    assert spans(message, "side") == ["right"]
    assert spans(message, "location") == ["foot", "ankle"]
    assert spans(message, "progression") == ["spreading"]
    # The values stay the message's own: every location entity carries all the places.
    assert values(message, "location") == {"right foot and ankle"}
    assert values(message, "side") == {"right"}


def test_region_of_a_part_stays_whole_and_side_words_are_left_out(component):
    message = run(component, "tingling down the back of my thigh into my calf on the right")
    assert spans(message, "location") == ["back of my thigh", "calf"]
    assert spans(message, "side") == ["right"]
    both = run(component, "both my feet feel numb, like walking on cotton wool")
    assert spans(both, "side") == ["both"]
    assert spans(both, "location") == ["feet"]


def test_duration_age_and_sex_spans_drop_the_words_around_them(component):
    message = run(component, "Hi, I'm a 31 yo female, I've had tingling in my right foot for about a week")
    assert spans(message, "age") == ["31"] and values(message, "age") == {31}
    assert spans(message, "sex") == ["female"]
    assert spans(message, "duration") == ["a week"]
    assert values(message, "duration") == {"about a week"}  # the value is unchanged
    later = run(component, "its been getting worse over the last few weeks")
    assert spans(later, "duration") == ["few weeks"]
    assert spans(run(component, "I'm a man in my fifties"), "sex") == ["man"]


def test_finding_spans_are_the_finding_without_its_negation(component):
    message = run(component, "I haven't had a fall or anything")
    assert spans(message, "after_trauma") == ["fall"]
    assert values(message, "after_trauma") == {False}
    weak = run(component, "severe back pain and both my legs are numb and weak")
    assert spans(weak, "leg_weakness") == ["weak"]
    assert spans(weak, "location") == ["legs"] and spans(weak, "side") == ["both"]
    assert spans(weak, "back_pain") == ["back pain"]
    # A present finding keeps its own "not": the token is part of what was said.
    assert spans(run(component, "I haven't been able to pee all day"), "bladder_bowel_problems") == [
        "haven't been able to pee"
    ]


def test_every_mention_of_a_finding_is_an_entity_with_the_message_value(component):
    message = run(component, "no trouble peeing and no bladder problems")
    assert spans(message, "bladder_bowel_problems") == ["trouble peeing", "bladder problems"]
    assert values(message, "bladder_bowel_problems") == {False}


def test_a_finding_keeps_its_words_from_location_and_side(component):
    message = run(component, "my right arm and leg went numb suddenly and my left foot is tingling")
    assert spans(message, "face_arm_speech_vision") == ["right arm and leg"]
    assert spans(message, "side") == ["left"]
    assert spans(message, "location") == ["foot"]
    assert values(message, "side") == {"both"}  # "right" still counts for the value
    # Alone, the words inside the finding still carry the slot's value, after the finding, so
    # the finding is the first entity that covers them.
    alone = run(component, "my right arm and leg went numb suddenly")
    assert values(alone, "location") == {"right arm and leg"} and values(alone, "side") == {"right"}
    entities = alone.get("entities")
    first_on_arm = next(e for e in entities if e["start"] <= alone.get("text").index("arm") < e["end"])
    assert first_on_arm["entity"] == "face_arm_speech_vision"


def test_location_words_that_name_no_part_are_entities_only_when_alone(component):
    message = run(component, "numbness both feet up to the ankles, like socks")
    assert spans(message, "location") == ["feet", "ankles"]
    assert values(message, "location") == {"both feet and ankles and like socks"}
    alone = run(component, "it's patchy")
    assert values(alone, "location") == {"patchy"}


def test_findings_win_overlapping_words_and_symptoms_come_last(component):
    entities = run(component, "im diabetic and my feet are numb").get("entities")
    order = [e["entity"] for e in entities if e.get("extractor") == EXTRACTOR]
    assert order.index("diabetes") < order.index("cause")
    assert order[-1] == "symptom"


def test_in_a_question_a_named_condition_is_the_topic(component):
    entities = run(component, "is raynaud's dangerous", intent="ask_cause").get("entities")
    order = [e["entity"] for e in entities if e.get("extractor") == EXTRACTOR]
    assert order[0] == "cause"
    # Asking about Raynaud's is not saying your toes change colour.
    assert "cold_triggers_colour_change" not in order


@pytest.mark.parametrize(
    "text,label,value",
    [
        ("my left foot has been numb for about 3 weeks", "duration", "about 3 weeks"),
        ("my left foot has been numb for about 3 weeks", "location", "left foot"),
        ("numb left foot and shin", "location", "left foot and shin"),
        ("left foot and right leg are numb", "side", "both"),
        ("it came on suddenly and has slowly got worse", "onset", "sudden"),
        ("I'm 54F", "age", 54),
        ("no back pain but my back hurts now", "back_pain", True),
    ],
)
def test_slot_values_are_the_message_values(component, text, label, value):
    # A from_entity slot takes the last entity of its type: every one carries the same value.
    assert values(run(component, text), label) == {value}


@pytest.mark.parametrize(
    "text,intent",
    [
        ("oh right, thank you", "say_thanks"),
        ("i better get going", "say_goodbye"),
        ("set a timer for 10 minutes", "ask_off_topic"),
    ],
)
def test_small_talk_sets_no_descriptor(component, text, intent):
    entities = run(component, text, intent=intent).get("entities") or []
    assert not [e for e in entities if e["entity"] in ("side", "progression", "duration", "location")]


def test_a_descriptor_answer_still_counts_and_a_red_flag_in_small_talk_still_fires(component):
    assert values(run(component, "right", intent="answer_yes"), "side") == {"right"}
    flagged = run(component, "thanks, but now i cant feel my bum when i wipe", intent="say_thanks")
    assert flagged.get("intent")["name"] == "report_red_flag"


# ------------------------------------------------------------------ background findings and spans


@pytest.mark.parametrize(
    "text",
    [
        "does radiotherapy damage the nerves for good",
        "my sister read that numb feet can mean cancer",
        "the cold turns my toes white",
    ],
)
def test_no_alarm_from_a_question_a_reading_or_a_triggered_colour_change(component, text):
    assert "red_flag" not in ours(run(component, text), RED_FLAG_EXTRACTOR)


@pytest.mark.parametrize(
    "text,flag",
    [
        (
            "is radiotherapy nerve damage permanent? my back is agony and my legs are weak",
            "metastatic_spinal_cord_compression",
        ),
        ("can flu cause this? i had flu last week and now both legs are weak", "guillain_barre_early"),
        (
            "had breast cancer, in remission, but now my back is killing me",
            "metastatic_spinal_cord_compression",
        ),
    ],
)
def test_a_real_red_flag_in_a_question_still_fires(component, text, flag):
    assert ours(run(component, text), RED_FLAG_EXTRACTOR)["red_flag"]["value"] == flag


@pytest.mark.parametrize(
    "text,label,words,value",
    [
        ("my calf went dead after squatting to weed", "position_related", ["squatting"], True),
        ("my foot goes dead when i sit cross legged", "position_related", ["sit cross legged"], True),
        ("just getting over the flu", "recent_infection", ["flu"], True),
        ("I barely drink", "heavy_alcohol", ["drink"], False),
        ("smoker, 40 a day", "smoker", ["smoker"], True),
        ("im 52 and my heels tingle", "age", ["52"], 52),
    ],
)
def test_background_spans_follow_the_annotation_conventions(component, text, label, words, value):
    message = run(component, text)
    assert spans(message, label) == words
    assert values(message, label) == {value}


@pytest.mark.parametrize(
    "text,intent,expected",
    [
        # Statements that report a symptom start the interview, whatever topic was heard.
        (
            "been on high dose b6 for my skin for ages and now my soles are tingling",
            "ask_supplements",
            "describe_symptoms",
        ),
        ("my toes feel prickly all the time, no idea what it is", "nlu_fallback", "describe_symptoms"),
        ("my toes have gone numb since i started the new tablets", "ask_treatment", "describe_symptoms"),
        ("my sciatica is acting up again", "ask_cause", "describe_symptoms"),
        # The writer's own complaint named, with no symptom word: a flare-up, not a restart.
        ("oh great. my slipped disc. again", "request_restart", "describe_symptoms"),
        ("me old disc has gone again", "request_restart", "describe_symptoms"),
        ("start again please", "request_restart", "request_restart"),
        # A sign of the body said plainly is a description; a risk factor alone is not.
        ("me back's playing up again", "request_restart", "describe_symptoms"),
        ("i smoke about ten a day", "ask_off_topic", "ask_off_topic"),
        ("is a slipped disc serious", "ask_seriousness", "ask_seriousness"),
        ("my friend has sciatica", "ask_off_topic", "ask_off_topic"),
        # A question, then a statement about the writer's own symptoms: the statement counts.
        ("could it be MS?? both my feet have felt numb for weeks", "ask_cause", "describe_symptoms"),
        ("any good running socks? my toes go numb after a long run", "ask_prevention", "describe_symptoms"),
        # A complaint named with how long it has gone on is the writer's, whatever is asked after.
        (
            "right sided sciatica for 3 weeks now, nothing helps. what can i take?",
            "ask_treatment",
            "describe_symptoms",
        ),
        ("why do my feet go numb?", "ask_cause", "ask_cause"),
        # The complaint named only in the question, then where it is on the writer's own body.
        (
            "is pins and needles a sign of ms? it's my right calf, mostly at night",
            "ask_cause",
            "describe_symptoms",
        ),
        ("can tingling be nerve damage? my mum has it in her feet", "ask_cause", "ask_cause"),
        # Questions keep their intent; so do answers and small talk.
        ("does b6 make your feet tingle?", "ask_supplements", "ask_supplements"),
        ("what causes numb toes", "ask_cause", "ask_cause"),
        # Asking for help, however it opens, is a question, not a report.
        ("any tips to ease the tingling in my feet", "ask_treatment", "ask_treatment"),
        ("best cream for numb toes", "ask_treatment", "ask_treatment"),
        ("reasons for tingly feet at night", "ask_cause", "ask_cause"),
        ("wat helps pins and needles in feet", "ask_treatment", "ask_treatment"),
        # "any time" opens a statement, not a question.
        ("any time i sit down my foot goes numb", "ask_off_topic", "describe_symptoms"),
        ("yes my feet tingle", "answer_yes", "answer_yes"),
        ("thanks, my feet are still numb but i'll see the gp", "say_thanks", "say_thanks"),
        # Nothing reported: a fallback stays a fallback.
        ("asdf the weather", "nlu_fallback", "nlu_fallback"),
        # A "?" with no question word is a worried statement, not a question.
        ("weird tingly soles?? cant describe it", "ask_cause", "describe_symptoms"),
        ("tingly toes?", "ask_test", "describe_symptoms"),
        # Unsure what was asked, but the complaint is named: the interview, not "please rephrase".
        ("is it normal to feel like im walking on pebbles all day", "nlu_fallback", "describe_symptoms"),
        ("how long does numbness from sitting last", "nlu_fallback", "describe_symptoms"),
        ("how long does numbness from sitting last", "ask_recovery_time", "ask_recovery_time"),
    ],
)
def test_a_statement_reporting_a_symptom_is_a_description(component, text, intent, expected):
    assert run(component, text, intent=intent).get("intent")["name"] == expected


@pytest.mark.parametrize(
    "raw,flag",
    [
        # As typed into a chat box: a denial on one line does not reach a sign on the next.
        ("no back pain\nfoot is white and cold since an hour", "acute_limb_ischaemia"),
        ("No fever...  cant  feel my bum or pee properly", "cauda_equina"),
        ("Mams face has dropped 2 one side,\nher legs numb", "stroke_tia"),
    ],
)
def test_a_sign_typed_with_chat_spacing_raises_its_flag(nlp, table, raw, flag):
    reading = read_message(nlp, table, sanitize(raw))
    assert reading.red_flag is not None and reading.red_flag.id == flag


@pytest.mark.parametrize(
    "text,restarts",
    [
        # An answer the classifier heard as a restart keeps the interview.
        ("just the usual stiff low back, nothing new", False),
        ("no change, the same old back ache", False),
        ("nothing to add", False),
        # Said in so many words, a restart is a restart.
        ("can we start again please", True),
        ("reset", True),
        ("wipe that and do a new assessment", True),
    ],
)
def test_a_restart_needs_its_own_words(component, text, restarts):
    intent = run(component, text, intent="request_restart").get("intent")["name"]
    assert (intent == "request_restart") == restarts
