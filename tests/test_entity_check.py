"""scripts.entity_check: token-level entity scores computed the way `rasa test nlu` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest

from scripts import entity_check
from scripts.entity_check import Example, evaluate, format_mistakes, format_table

OURS = "ClinicalFindingsExtractor"


def ent(text: str, words: str, label: str, extractor: str = OURS, occurrence: int = 0) -> Dict[str, Any]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return {
        "entity": label,
        "start": start,
        "end": start + len(words),
        "value": words,
        "extractor": extractor,
    }


def example(text: str, *gold: tuple) -> Example:
    return Example(text=text, entities=tuple(ent(text, w, label) for w, label in gold))


def predictor(table: Dict[str, List[Dict[str, Any]]]):
    return lambda text: table.get(text, [])


def scores(result) -> Dict[str, tuple]:
    return {s.label: (s.precision, s.recall, s.f1, s.support) for s in result.labels}


def test_perfect_predictions_score_one():
    text = "my left foot is numb"
    data = [example(text, ("left", "side"), ("foot", "location"))]
    result = evaluate(data, predictor({text: [ent(text, "left", "side"), ent(text, "foot", "location")]}))
    assert scores(result) == {"location": (1.0, 1.0, 1.0, 1), "side": (1.0, 1.0, 1.0, 1)}
    assert result.micro.f1 == 1.0 and result.macro.f1 == 1.0
    assert not result.mistakes


def test_scores_are_per_token_so_boundaries_matter():
    text = "numb for about 5 days"
    data = [example(text, ("5 days", "duration"))]
    result = evaluate(data, predictor({text: [ent(text, "about 5 days", "duration")]}))
    precision, recall, f1, support = scores(result)["duration"]
    assert (precision, recall, support) == (pytest.approx(2 / 3), 1.0, 2)
    assert f1 == pytest.approx(0.8)
    assert result.mistakes[0].wrong_tokens == 1


def test_labels_never_annotated_are_not_scored_but_can_hide_annotated_words():
    text = "dead leg at night"
    data = [example(text, ("leg", "location"))]
    # The symptom spans "dead leg" and comes first, so Rasa gives it the word "leg".
    hiding = [ent(text, "dead leg", "symptom"), ent(text, "leg", "location")]
    result = evaluate(data, predictor({text: hiding}))
    assert "symptom" not in scores(result)
    assert scores(result)["location"][:2] == (0.0, 0.0)
    # Listed after the location, the symptom only covers "dead", which is no mistake.
    result = evaluate(data, predictor({text: list(reversed(hiding))}))
    assert scores(result)["location"] == (1.0, 1.0, 1.0, 1)
    assert not result.mistakes


def test_other_extractors_are_left_out():
    text = "is it a stroke"
    data = [example(text, ("stroke", "cause"))]
    flag = ent(text, "stroke", "red_flag", extractor="ClinicalRedFlagDetector")
    result = evaluate(data, predictor({text: [flag, ent(text, "stroke", "cause")]}))
    assert scores(result) == {"cause": (1.0, 1.0, 1.0, 1)}


def test_micro_and_macro_averages_and_only():
    a, b = "left leg", "right foot"
    data = [
        example(a, ("left", "side"), ("leg", "location")),
        example(b, ("right", "side"), ("foot", "location")),
    ]
    guesses = {a: [ent(a, "left", "side"), ent(a, "leg", "location")], b: [ent(b, "right", "side")]}
    result = evaluate(data, predictor(guesses))
    assert scores(result)["location"][:3] == (1.0, 0.5, pytest.approx(2 / 3))
    assert result.macro.f1 == pytest.approx((1.0 + 2 / 3) / 2)
    assert result.micro.f1 == pytest.approx(2 * 1.0 * 0.75 / 1.75)
    only = evaluate(data, predictor(guesses), only="side")
    assert [s.label for s in only.labels] == ["side"] and not only.mistakes
    table = format_table(result)
    assert "location" in table and "micro avg" in table and "macro avg" in table
    text = format_mistakes(result.mistakes)
    assert "right foot" in text and "gold: side='right', location='foot'" in text


def test_runs_on_a_data_folder_with_the_real_extractor(tmp_path: Path, capsys):
    (tmp_path / "tiny.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: describe_symptoms\n"
        "  examples: |\n"
        '    - numbness in my [right]{"entity": "side", "value": "right"} [foot](location) '
        "for about [5 days](duration)\n"
        "    - I [haven't had a fall](after_trauma)\n",
        encoding="utf-8",
    )
    assert entity_check.main(["--data", str(tmp_path), "--errors", "3"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line and line[0].isalpha()}
    assert lines["side"][:3] == ["1.000", "1.000", "1.000"]
    assert lines["duration"][:3] == ["1.000", "1.000", "1.000"]
    assert lines["location"][:3] == ["1.000", "1.000", "1.000"]
    # "fall" only: the annotation's "haven't had a" is outside the entity by convention.
    assert "after_trauma" in out and "haven't had a fall" in out
