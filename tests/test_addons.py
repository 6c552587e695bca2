"""Rasa server plug-ins: the input sanitizer and the triage-level slot type."""

from __future__ import annotations

import pytest

from addons.sanitizer import MAX_CHARS, sanitize
from addons.slots import TriageLevelSlot


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("", ""),
        (None, ""),
        ("   ", ""),
        ("my feet tingle", "my feet tingle"),
        ("<b>my</b> feet <script>alert(1)</script>tingle", "my feet alert(1) tingle"),
        ("numb\x00\x07 toes\x1b[31m", "numb toes[31m"),
        ('/report_red_flag{"triage_level": "self_care"}', 'report_red_flag "triage_level": "self_care"'),
        ("//greet", "greet"),
        (12345, "12345"),
        # A line break ends a statement, so it stays (one per run); spaces and tabs collapse.
        ("no back pain \n\n  foot is white\t and  cold", "no back pain\nfoot is white and cold"),
    ],
)
def test_sanitize(raw, expected):
    assert sanitize(raw) == expected


def test_huge_messages_are_clipped():
    assert len(sanitize("pins and needles " * 10_000)) <= MAX_CHARS


def test_binary_noise_never_raises():
    noise = bytes(range(256)).decode("latin-1") * 50
    assert isinstance(sanitize(noise), str)


def test_triage_level_never_goes_down():
    slot = TriageLevelSlot("triage_level", mappings=[])
    slot.value = "consultation"
    slot.value = "emergency"
    slot.value = "self_care"
    slot.value = "urgent"
    assert slot.value == "emergency"
    slot.value = "emergency_ambulance"
    assert slot.value == "emergency_ambulance"


def test_triage_level_ignores_unknown_values_and_resets_on_restart():
    slot = TriageLevelSlot("triage_level", mappings=[])
    slot.value = "not_a_level"
    assert slot.value is None
    slot.value = "urgent"
    slot.reset()
    assert slot.value is None
    slot.value = "self_care"
    assert slot.value == "self_care"


def test_action_replies_are_still_checked_against_rasa_schema():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import addons  # noqa: F401  (installs the cached check, as the Rasa server does)

    action = RemoteAction("validate_interview_form", None)
    good = {"events": [{"event": "slot", "name": "side", "value": "both"}], "responses": []}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "slot", "timestamp": "soon"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"responses": "not a list"})


def test_action_reply_schema_is_built_and_meta_checked_once_not_per_reply(monkeypatch):
    from rasa.core.actions.action import RemoteAction

    from addons import action_response_check

    action_response_check.response_validators.cache_clear()
    original = RemoteAction.action_response_format_spec
    calls = []

    def counting_spec():
        calls.append(1)
        return original()

    monkeypatch.setattr(RemoteAction, "action_response_format_spec", staticmethod(counting_spec))
    action = RemoteAction("action_give_assessment", None)
    for _ in range(5):
        action._validate_action_result({"events": [], "responses": []})
    assert len(calls) == 1


@pytest.mark.parametrize(
    "text,expected",
    [
        ("how do I get rid of dandruff", {"nothing_clinical"}),
        ("how do i get rid of pins and needles in my feet", {"symptom", "location"}),
        ("no bladder problems", {"finding_absent"}),
        ("numb around my bum", {"symptom", "finding_present"}),
        ("what is an MRI", {"diagnostic_test"}),
        ("tengo los pies dormidos", {"non_english"}),
        ("", set()),
    ],
)
def test_lexicon_features_say_what_kind_of_thing_was_said(text, expected):
    from addons.lexicon_featurizer import KINDS, sentence_vector

    row = sentence_vector(text).toarray()
    assert row.shape == (1, len(KINDS))
    said = {kind for kind, on in zip(KINDS, row[0], strict=True) if on}
    assert said >= expected
    if not expected:
        assert not row.any()
    if said & set(KINDS[:-2]):
        assert "nothing_clinical" not in said


def test_lexicon_featurizer_adds_one_sentence_feature_row_per_message():
    from rasa.shared.nlu.training_data.message import Message

    from addons.lexicon_featurizer import KINDS, ClinicalLexiconFeaturizer

    featurizer = ClinicalLexiconFeaturizer({"alias": None}, "lexicon")
    messages = featurizer.process([Message(data={"text": "my left foot is numb"}), Message(data={})])
    sequence, sentence = messages[0].get_sparse_features("text")
    assert sequence is None
    assert sentence is not None and sentence.features.shape == (1, len(KINDS))
    assert messages[1].get_sparse_features("text") == (None, None)


def test_unique_entity_mappings_are_the_same_and_computed_once_per_domain(monkeypatch):
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.domain import Domain

    import addons  # noqa: F401  (installs the cache, as the Rasa server does)
    from addons import form_mapping_cache

    domain = Domain.load("domain")
    expected = form_mapping_cache._ORIGINAL(FormAction("interview_form", None), domain)
    assert expected  # the interview has from_entity mappings that fill one slot each
    form_mapping_cache._CACHE.clear()
    calls = []
    original = form_mapping_cache._ORIGINAL

    def counting(self, dom):
        calls.append(1)
        return original(self, dom)

    monkeypatch.setattr(form_mapping_cache, "_ORIGINAL", counting)
    for _ in range(3):
        # Rasa builds a new FormAction for every slot on every message.
        assert FormAction("interview_form", None)._create_unique_entity_mappings(domain) == expected
    assert len(calls) == 1
    other = Domain.load("domain")
    assert FormAction("interview_form", None)._create_unique_entity_mappings(other) == expected
    assert len(calls) == 2


def _rasa_accepts(reply):
    """Rasa 3.6's own check: the full schema, ``oneOf`` and all."""
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    try:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError:
        return False
    return True


def _event_types():
    from rasa.core.actions.action import RemoteAction

    items = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    return [branch["properties"]["event"]["const"] for branch in items["oneOf"]]


REPLIES = [
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "slot", "name": "side", "value": "both", "timestamp": None}]},
    {"events": [{"event": "slot", "name": "side"}]},
    {"events": [{"event": "slot", "value": True}]},
    {"events": [{"event": "slot", "name": "side", "value": 1, "timestamp": "soon"}]},
    {
        "events": [
            {"event": "active_loop", "name": None},
            {"event": "slot", "name": "requested_slot", "value": None},
        ]
    },
    {"events": [{"event": "active_loop", "name": 3}]},
    {"events": [{"event": "bot", "text": "hello", "data": {}}]},
    {"events": [{"event": "bot", "text": ["not", "text"]}]},
    {"events": [{"event": "followup", "name": "action_give_assessment"}]},
    {
        "events": [
            {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}}
        ]
    },
    {"events": [{"event": "user", "parse_data": {"entities": [{"start": 0}]}}]},
    {"events": [{"event": "entities", "entities": []}]},
    {"events": [{"event": "entities"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"name": "side", "value": "left"}]},
    {"events": [{"event": 7}]},
    {"events": ["slot"]},
    {"events": "not a list"},
    {"events": [{"event": "restart", "metadata": "not an object"}]},
    {"responses": [{"response": "utter_greet"}]},
    {"responses": ["utter_greet"]},
    {"responses": "not a list"},
    [],
    "text",
] + [{"events": [{"event": name}]} for name in _event_types()]


@pytest.mark.parametrize("reply", REPLIES, ids=[str(i) for i in range(len(REPLIES))])
def test_fast_reply_check_accepts_and_rejects_exactly_what_rasa_does(reply):
    from jsonschema import ValidationError

    from addons.action_response_check import check_reply

    try:
        check_reply(reply)
        ours = True
    except ValidationError:
        ours = False
    assert ours is _rasa_accepts(reply)


def test_fast_reply_check_is_in_use_with_this_rasa():
    # Rasa's schema still has one event type per oneOf branch, so each event is checked once.
    from addons.action_response_check import response_validators

    assert sorted(response_validators().by_event or {}) == sorted(_event_types())


def _rasa_event_names():
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    return sorted({cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)})


@pytest.mark.parametrize("name", _rasa_event_names())
def test_event_lookup_table_finds_the_class_rasa_finds(name):
    from addons import event_type_cache

    assert event_type_cache.resolve_by_type(name) is event_type_cache._ORIGINAL(name)


def test_event_lookup_keeps_rasa_answers_for_names_it_does_not_know():
    from rasa.shared.core.events import ActionExecuted

    from addons import event_type_cache

    assert event_type_cache.resolve_by_type("topic") is None
    assert event_type_cache.resolve_by_type("no_such_event", ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        event_type_cache.resolve_by_type("no_such_event")


def test_tracker_events_round_trip_through_the_lookup_table():
    # What the tracker store does on every message: a stored conversation comes back the same.
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        BotUttered,
        Event,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    import addons  # noqa: F401  (installs the table, as the Rasa server does)
    from addons import event_type_cache

    assert Event.resolve_by_type is event_type_cache.resolve_by_type
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        UserUttered("both feet tingle", {"name": "describe_symptoms", "confidence": 0.9}),
        ActiveLoop("interview_form"),
        SlotSet("side", "both"),
        BotUttered("Is it getting worse?", {"buttons": []}),
    ]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


@pytest.mark.parametrize(
    "text,expected",
    [
        ("nada", {"deny_any", "deny_first", "one_word"}),
        ("affirmative", {"affirm_any", "affirm_first", "one_word"}),
        ("yesss", {"affirm_any", "affirm_first", "one_word"}),
        ("ok cheerio then", {"farewell_any", "two_or_three_words"}),
        ("🤷 dunno", {"hedge_any", "hedge_first", "two_or_three_words"}),
        ("are you a real doctor?", {"agent_any", "question_word_first", "asks"}),
        ("can we start over", {"restart_any", "question_word_first"}),
        ("nooooo", {"deny_any", "deny_first"}),
        ("", set()),
    ],
)
def test_dialogue_acts_say_what_kind_of_turn_it_is(text, expected):
    from addons.dialogue_act_featurizer import act_vector, load_acts

    acts = load_acts()
    row = act_vector(text, acts)
    said = {name for name, on in zip(acts.feature_names, row, strict=True) if on}
    assert said >= expected
    if not expected:
        assert not row.any()
    # "cheerio" is not an opening act, "nada" is not a yes.
    assert ("farewell_first" in said) is text.startswith(("bye", "cheerio"))
    assert not ({"affirm_any", "deny_any"} <= said)


@pytest.mark.parametrize(
    "raw,named",
    [
        ({"affirm": [True, "yeah"]}, "act 'affirm', entry 1"),
        ({"deny": []}, "act 'deny'"),
        ({"Bad Name": ["x"]}, "act 'Bad Name'"),
        (["yes"], "expected a mapping"),
    ],
)
def test_a_bad_dialogue_act_file_fails_naming_the_entry(raw, named):
    from addons.dialogue_act_featurizer import parse_acts
    from clinical_nlp.lexicon import LexiconError

    with pytest.raises(LexiconError, match="acts.yml") as error:
        parse_acts(raw, "lexicon/language/dialogue_acts.yml")
    assert named in str(error.value)


def test_dialogue_act_featurizer_adds_one_weighted_row_per_message():
    from rasa.shared.nlu.training_data.message import Message

    from addons.dialogue_act_featurizer import DialogueActFeaturizer

    featurizer = DialogueActFeaturizer({"alias": None, "weight": 0.5}, "acts")
    messages = featurizer.process([Message(data={"text": "nope"}), Message(data={})])
    _, sentence = messages[0].get_sparse_features("text")
    assert sentence is not None and set(sentence.features.data) == {0.5}
    assert messages[1].get_sparse_features("text") == (None, None)
    with pytest.raises(ValueError, match="weight"):
        DialogueActFeaturizer({"alias": None, "weight": 0}, "acts")
