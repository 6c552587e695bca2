"""Quick intent check of ``data/nlu``: the assistant's own intent classifier in k-fold CV (about a minute).

The sanitizer, the lexicon and dialogue-act featurizers and ``LinearIntentClassifier`` with the settings in
``config.yml``, trained and tested in memory on stratified folds (no ``rasa train``): per-intent F1,
macro F1, what the ``FallbackClassifier`` thresholds of ``config.yml`` would catch, and the
misclassified examples. The clinical extractor's intent overrides (red flags, other languages) are
not applied, so ``make nlu-report`` scores a little higher; use this while writing training data.

    python -m scripts.intent_proxy [--errors 40] [--intent ask_treatment] [--folds 5]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections import Counter
from pathlib import Path
from typing import List, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold

from addons.dialogue_act_featurizer import DialogueActFeaturizer
from addons.intent_classifier import LinearIntentClassifier
from addons.lexicon_featurizer import ClinicalLexiconFeaturizer
from addons.sanitizer import sanitize
from addons.word_vector_featurizer import WordVectorFeaturizer
from scripts.nlu_report import component_settings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.yml"


def cross_validate(
    texts: List[str], labels: List[str], folds: int, seed: int = 42, train_fraction: float = 1.0
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Held-out predicted intent, its confidence and the gap to the runner-up, per example.

    ``train_fraction`` < 1 trains each fold on a random share of its training part (the test
    part is unchanged), for a learning curve.
    """
    messages = [Message(data={TEXT: sanitize(t)}) for t in texts]
    ClinicalLexiconFeaturizer({"alias": None}, "lexicon").process(messages)
    acts = component_settings(CONFIG, DialogueActFeaturizer.__name__) or {}
    DialogueActFeaturizer({"alias": None, **acts}, "acts").process(messages)
    vectors = component_settings(CONFIG, WordVectorFeaturizer.__name__) or {}
    WordVectorFeaturizer({"alias": None, **vectors}, "vectors").process(messages)
    gold = np.array(labels)
    predicted = np.empty(len(texts), dtype=object)
    confidence = np.zeros(len(texts))
    gap = np.zeros(len(texts))
    context = ExecutionContext(GraphSchema({}), node_name="intents")
    settings = component_settings(CONFIG, LinearIntentClassifier.__name__) or {}
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    with tempfile.TemporaryDirectory() as directory:
        storage = LocalModelStorage(Path(directory))
        rng = np.random.default_rng(seed)
        for fold, (train, test) in enumerate(splitter.split(texts, gold)):
            if train_fraction < 1.0:
                train = train[rng.random(len(train)) < train_fraction]
            examples = []
            for i in train:
                example = Message(data=dict(messages[i].data), features=messages[i].features)
                example.set(INTENT, labels[i])
                examples.append(example)
            classifier = LinearIntentClassifier.create(settings, storage, Resource(f"fold{fold}"), context)
            classifier.train(TrainingData(training_examples=examples))
            for i, ranking in zip(test, classifier.predict([messages[i] for i in test]), strict=True):
                predicted[i], confidence[i] = ranking[0]
                gap[i] = ranking[0][1] - (ranking[1][1] if len(ranking) > 1 else 0.0)
    return predicted, confidence, gap


def main() -> None:
    """Print per-intent F1, macro F1, the fallback trade-off and the misclassified examples."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT / "data" / "nlu"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", type=int, default=40, help="misclassified examples to print")
    parser.add_argument("--intent", help="only print errors involving this intent")
    parser.add_argument(
        "--learning-curve",
        action="store_true",
        help="only print macro F1 when each fold trains on 40%%, 60%%, 80%% and 100%% of its data",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    data = load_data(args.data)
    texts = [str(m.get(TEXT)) for m in data.intent_examples]
    labels = [str(m.get(INTENT)) for m in data.intent_examples]
    print(f"{len(texts)} examples, {len(set(labels))} intents: {Counter(labels).most_common()}")
    if args.learning_curve:
        # Flat at the end means more of the same kind of data will not lift the score much.
        for fraction in (0.4, 0.6, 0.8, 1.0):
            guessed = cross_validate(texts, labels, args.folds, train_fraction=fraction)[0]
            score = f1_score(labels, list(guessed), average="macro")
            print(f"training share {fraction:.0%}: macro F1 {score:.3f}")
        return
    predicted, confidence, gap = cross_validate(texts, labels, args.folds)
    print(classification_report(labels, list(predicted), digits=3, zero_division=0))
    print(f"macro F1 {f1_score(labels, list(predicted), average='macro'):.3f}")

    fallback = component_settings(CONFIG, "FallbackClassifier") or {}
    threshold = float(fallback.get("threshold", 0.3))
    ambiguity = float(fallback.get("ambiguity_threshold", 0.1))
    right = predicted == np.array(labels)
    caught = (confidence < threshold) | (gap < ambiguity)
    print(
        f"fallback (threshold {threshold}, ambiguity {ambiguity}): {caught.sum()} of {len(texts)} messages; "
        f"{(caught & ~right).sum()} of {(~right).sum()} wrong intents caught, "
        f"{(caught & right).sum()} right ones lost"
    )
    shown = 0
    for text, gold, guess in zip(texts, labels, predicted, strict=True):
        if gold == guess or (args.intent and args.intent not in (gold, guess)):
            continue
        if shown >= args.errors:
            break
        print(f"{gold:22s} -> {guess:22s} | {text}")
        shown += 1


if __name__ == "__main__":
    main()
