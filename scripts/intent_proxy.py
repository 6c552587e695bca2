"""Quick intent-separability check of ``data/nlu`` (seconds, no Rasa training).

A TF-IDF (words + character n-grams) linear SVM in stratified 5-fold cross-validation:
not the assistant's model, only a fast proxy to find mislabelled, ambiguous or
under-covered intents while writing training data. ``rasa test nlu`` gives the real figures.

    python -m scripts.intent_proxy [--errors 40] [--intent ask_treatment]
"""

from __future__ import annotations

import argparse
from collections import Counter

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC


def main() -> None:
    """Print per-intent F1, macro F1 and the misclassified examples."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="data/nlu")
    parser.add_argument("--errors", type=int, default=40, help="misclassified examples to print")
    parser.add_argument("--intent", help="only print errors involving this intent")
    args = parser.parse_args()

    data = load_data(args.data)
    texts = [m.get("text") for m in data.intent_examples]
    labels = [m.get("intent") for m in data.intent_examples]
    print(f"{len(texts)} examples, {len(set(labels))} intents: {Counter(labels).most_common()}")
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LinearSVC(C=1.0),
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
    predicted = cross_val_predict(model, texts, labels, cv=folds)
    print(classification_report(labels, predicted, digits=2))
    print(f"macro F1 {f1_score(labels, predicted, average='macro'):.3f}")
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
