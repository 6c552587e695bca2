"""The intent classifier: learns intents, ranks them with confidences, survives a save and load."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.intent_classifier import LinearIntentClassifier, fit_temperature, softmax
from addons.lexicon_featurizer import ClinicalLexiconFeaturizer

EXAMPLES = {
    "describe_symptoms": [
        "my feet are tingling",
        "both legs have gone numb",
        "pins and needles in my toes",
        "my left foot feels dead",
        "numbness down the back of my leg",
        "my soles burn and tingle at night",
    ],
    "ask_treatment": [
        "how is sciatica treated",
        "what can i take for the tingling",
        "does physio help a slipped disc",
        "how do you treat nerve damage",
        "what medicine helps numb feet",
        "is there a cure for neuropathy",
    ],
    "say_goodbye": ["bye", "goodbye", "see you later", "cheers bye", "talk later", "night night"],
}


def _messages(texts: List[str]) -> List[Message]:
    messages = [Message(data={TEXT: t}) for t in texts]
    ClinicalLexiconFeaturizer({"alias": None}, "lexicon").process(messages)
    return messages


def _training_data(examples: dict) -> TrainingData:
    messages = []
    for intent, texts in examples.items():
        for message in _messages(texts):
            message.set(INTENT, intent)
            messages.append(message)
    return TrainingData(training_examples=messages)


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), node_name="intents")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture
def trained(storage: LocalModelStorage) -> Tuple[LinearIntentClassifier, Resource]:
    resource = Resource("intents")
    classifier = LinearIntentClassifier.create({}, storage, resource, _context())
    classifier.train(_training_data(EXAMPLES))
    return classifier, resource


@pytest.mark.parametrize(
    "text,intent",
    [
        ("my toes have gone all tingly", "describe_symptoms"),
        ("what treatment is there for sciatica", "ask_treatment"),
        ("ok bye then", "say_goodbye"),
    ],
)
def test_unseen_wording_gets_the_right_intent(trained, text, intent):
    classifier, _ = trained
    (message,) = classifier.process(_messages([text]))
    assert message.get(INTENT)["name"] == intent


def test_ranking_is_sorted_and_confidences_are_probabilities(trained):
    classifier, _ = trained
    (message,) = classifier.process(_messages(["what helps numb toes"]))
    ranking = message.get("intent_ranking")
    confidences = [r["confidence"] for r in ranking]
    assert [r["name"] for r in ranking][0] == message.get(INTENT)["name"]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)
    assert {r["name"] for r in ranking} == set(EXAMPLES)


def test_a_saved_and_loaded_classifier_answers_the_same(trained, storage):
    classifier, resource = trained
    texts = ["my feet are numb", "how do i treat it", "laters", "zxcv qwer"]
    loaded = LinearIntentClassifier.load({}, storage, resource, _context())
    before = classifier.predict(_messages(texts))
    after = loaded.predict(_messages(texts))
    for a, b in zip(before, after, strict=True):
        assert [n for n, _ in a] == [n for n, _ in b]
        assert np.allclose([c for _, c in a], [c for _, c in b])


def test_the_saved_model_holds_no_pickle(trained, storage):
    _, resource = trained
    with (
        storage.read_from(resource) as directory,
        np.load(directory / "weights.npz", allow_pickle=False) as arrays,
    ):
        assert arrays["coef"].shape[0] == len(EXAMPLES)


def test_two_intents_are_enough(storage):
    data = {k: EXAMPLES[k] for k in ("describe_symptoms", "say_goodbye")}
    classifier = LinearIntentClassifier.create({}, storage, Resource("two"), _context())
    classifier.train(_training_data(data))
    (message,) = classifier.process(_messages(["bye for now"]))
    assert message.get(INTENT)["name"] == "say_goodbye"


def test_one_intent_or_no_model_predicts_nothing_and_does_not_crash(storage):
    classifier = LinearIntentClassifier.create({}, storage, Resource("one"), _context())
    classifier.train(_training_data({"say_goodbye": EXAMPLES["say_goodbye"]}))
    (message,) = classifier.process(_messages(["bye"]))
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}
    missing = LinearIntentClassifier.load({}, storage, Resource("never_trained"), _context())
    assert missing.process(_messages(["bye"]))[0].get(INTENT)["name"] is None


def test_a_message_without_text_gets_no_intent_and_no_ranking(trained):
    classifier, _ = trained
    (message,) = classifier.process([Message(data={})])
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_temperature_sharpens_confident_separable_scores_and_softens_noisy_ones():
    gold = np.array([0, 1] * 50)
    separable = np.column_stack([1.0 - gold, gold.astype(float)])
    noisy = separable.copy()
    noisy[::3] = noisy[::3, ::-1]  # a third of the scores point the wrong way
    assert fit_temperature(separable, gold) > fit_temperature(noisy, gold)
    assert softmax(separable[:1], 5.0).sum() == pytest.approx(1.0)
