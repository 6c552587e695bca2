"""Token-level entity scores of the clinical extractor on ``data/nlu``, as ``rasa test nlu`` gives them.

    python -m scripts.entity_check [--only ENTITY] [--errors N] [--data DIR]

No model is needed: each example's text goes through the sanitizer, Rasa's ``WhitespaceTokenizer``
and ``addons.clinical_extractor.read_message`` (the entities the Rasa component adds), and the
scores come from Rasa's own functions in ``rasa.nlu.test``: every token gets the label of the
entity covering it (the best-overlapping one when predictions overlap), and only the labels
that are annotated somewhere count (``symptom``, never annotated, is neither scored nor a false
positive; a token it takes from an annotated label is a miss). Rasa scores each extractor on
its own, so the red-flag entities (``ClinicalRedFlagDetector``) are left out here as they are
in the ``ClinicalFindingsExtractor`` report.

Prints precision / recall / F1 / support per entity type, the micro and macro averages and,
with ``--errors N``, the N examples with the most wrongly labelled tokens (gold vs predicted).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "data" / "nlu"
NO_ENTITY = "no_entity"
SUMMARY_ROWS = ("micro avg", "macro avg", "weighted avg")

Entity = Dict[str, Any]


@dataclass(frozen=True)
class Example:
    """One annotated message."""

    text: str
    entities: Tuple[Entity, ...]


@dataclass(frozen=True)
class Score:
    """One row of the report."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Mistake:
    """An example with tokens labelled wrongly, and its gold and predicted spans."""

    text: str
    wrong_tokens: int
    gold: Tuple[Entity, ...]
    predicted: Tuple[Entity, ...]


@dataclass(frozen=True)
class CheckResult:
    """Scores per label (annotated labels only), the averages, and the mistaken examples."""

    labels: Tuple[Score, ...]
    micro: Score
    macro: Score
    weighted: Score
    mistakes: Tuple[Mistake, ...]


def load_examples(path: Path = NLU_DIR) -> List[Example]:
    """Every NLU example under ``path`` with its annotated entities (Rasa's loader)."""
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_data(str(path))
    return [
        Example(text=str(m.get(TEXT)), entities=tuple(m.get(ENTITIES) or []))
        for m in data.nlu_examples
        if m.get(TEXT)
    ]


def default_predictor() -> Any:
    """``text -> entities`` exactly as the Rasa component produces them (default config)."""
    from addons.clinical_extractor import ClinicalFindingsExtractor, read_message

    config = ClinicalFindingsExtractor.get_default_config()
    component = ClinicalFindingsExtractor(config)

    def predict(text: str) -> List[Entity]:
        return read_message(
            component.nlp, component.table, text, emit_symptoms=config["emit_symptoms"]
        ).entities

    return predict


def _score(label: str, row: Dict[str, Any]) -> Score:
    return Score(
        label=label,
        precision=float(row.get("precision", 0.0)),
        recall=float(row.get("recall", 0.0)),
        f1=float(row.get("f1-score", 0.0)),
        support=int(row.get("support", 0)),
    )


def _spans(entities: Iterable[Entity], text: str, only: Optional[str]) -> Tuple[Entity, ...]:
    kept = [e for e in entities if only is None or e.get("entity") == only]
    return tuple(
        {"entity": e["entity"], "text": text[e["start"] : e["end"]], "start": e["start"], "end": e["end"]}
        for e in sorted(kept, key=lambda e: (e["start"], e["end"]))
    )


def evaluate(
    examples: Sequence[Example],
    predict: Any,
    extractor: str = "ClinicalFindingsExtractor",
    only: Optional[str] = None,
) -> CheckResult:
    """Scores ``predict`` (text -> Rasa entities) on ``examples`` the way ``rasa test nlu`` does."""
    from rasa.model_testing import get_evaluation_metrics
    from rasa.nlu.test import (
        EntityEvaluationResult,
        align_all_entity_predictions,
        merge_labels,
        substitute_labels,
    )
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.constants import NO_ENTITY_TAG, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from addons.sanitizer import sanitize

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    results = []
    for example in examples:
        text = sanitize(example.text)
        message = Message(data={TEXT: text})
        tokens = tokenizer.tokenize(message, TEXT)
        predicted = [e for e in predict(text) if e.get("extractor") == extractor]
        results.append(EntityEvaluationResult(list(example.entities), predicted, tokens, text))
    aligned = align_all_entity_predictions(results, {extractor})
    targets = substitute_labels(merge_labels(aligned), NO_ENTITY_TAG, NO_ENTITY)
    predictions = substitute_labels(merge_labels(aligned, extractor), NO_ENTITY_TAG, NO_ENTITY)
    report, _, _, _ = get_evaluation_metrics(targets, predictions, output_dict=True, exclude_label=NO_ENTITY)
    assert isinstance(report, dict)
    rows = tuple(
        _score(label, row)
        for label, row in sorted(report.items())
        if label not in SUMMARY_ROWS and isinstance(row, dict)
    )
    scored = {s.label for s in rows}
    micro = report.get("micro avg") or _accuracy_row(report, rows)
    mistakes = []
    for result, labels in zip(results, aligned, strict=True):
        pairs = zip(labels["target_labels"], labels["extractor_labels"][extractor], strict=True)
        # A never-annotated label on an unlabelled token is not scored, so it is no mistake.
        wrong = [(g, p) for g, p in pairs if g != p and (g in scored or p in scored)]
        if only is not None:
            wrong = [(g, p) for g, p in wrong if only in (g, p)]
        if wrong:
            mistakes.append(
                Mistake(
                    text=result.message,
                    wrong_tokens=len(wrong),
                    gold=_spans(result.entity_targets, result.message, only),
                    predicted=_spans(result.entity_predictions, result.message, only),
                )
            )
    mistakes.sort(key=lambda m: -m.wrong_tokens)
    return CheckResult(
        labels=tuple(r for r in rows if only is None or r.label == only),
        micro=_score("micro avg", micro),
        macro=_score("macro avg", report.get("macro avg") or {}),
        weighted=_score("weighted avg", report.get("weighted avg") or {}),
        mistakes=tuple(mistakes),
    )


def _accuracy_row(report: Dict[str, Any], rows: Sequence[Score]) -> Dict[str, Any]:
    # sklearn reports accuracy instead of a micro average when every label is scored.
    accuracy = float(report.get("accuracy", 0.0))
    support = sum(r.support for r in rows)
    return {"precision": accuracy, "recall": accuracy, "f1-score": accuracy, "support": support}


def format_table(result: CheckResult) -> str:
    """The per-label table and the averages, as plain text."""
    width = max([len(s.label) for s in result.labels] + [12])
    lines = [f"{'entity':<{width}}  precision  recall     f1  support"]
    for s in (*result.labels, None, result.micro, result.macro, result.weighted):
        if s is None:
            lines.append("-" * (width + 35))
            continue
        lines.append(f"{s.label:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}")
    return "\n".join(lines)


def format_mistakes(mistakes: Sequence[Mistake]) -> str:
    """Gold and predicted spans of each mistaken example."""

    def spans(entities: Sequence[Entity]) -> str:
        return ", ".join(f"{e['entity']}={e['text']!r}" for e in entities) or "-"

    lines = []
    for m in mistakes:
        lines.append(f"[{m.wrong_tokens}] {m.text}")
        lines.append(f"    gold: {spans(m.gold)}")
        lines.append(f"    pred: {spans(m.predicted)}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="ENTITY", help="score one entity type alone")
    parser.add_argument("--errors", metavar="N", type=int, default=0, help="show the N worst examples")
    parser.add_argument(
        "--data", metavar="DIR", type=Path, default=NLU_DIR, help="NLU data (default data/nlu)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    import structlog

    # Rasa's alignment logs every token that crosses an entity border at debug level.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    result = evaluate(load_examples(args.data), default_predictor(), only=args.only)
    print(format_table(result))
    if args.errors > 0:
        print()
        print(format_mistakes(result.mistakes[: args.errors]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
