"""scripts/nlu_report.py without training: Rasa's report format, CV log, Markdown section, outputs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from scripts import nlu_report
from scripts.nlu_report import (
    LabelScore,
    confidence_summary,
    entity_report_paths,
    fallback_threshold,
    load_entity_reports,
    main_extractor,
    metric_rows,
    metrics_table,
    parse_args,
    parse_cv_log,
    parse_report,
    replace_section,
    weakest,
)

# The shape `rasa test nlu` writes to intent_report.json: sklearn's classification report with
# `confused_with` per label; "micro avg" is added by Rasa when sklearn gives "accuracy".
INTENT_REPORT = {
    "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 6, "confused_with": {}},
    "ask_cause": {
        "precision": 0.8,
        "recall": 0.9230769230769231,
        "f1-score": 0.8571428571428571,
        "support": 13,
        "confused_with": {"ask_seriousness": 1},
    },
    "ask_seriousness": {
        "precision": 0.75,
        "recall": 0.5,
        "f1-score": 0.6,
        "support": 6,
        "confused_with": {"ask_cause": 2, "nlu_fallback": 1},
    },
    "describe_symptoms": {
        "precision": 0.96,
        "recall": 1.0,
        "f1-score": 0.9795918367346939,
        "support": 48,
        "confused_with": {},
    },
    "accuracy": 0.9452054794520548,
    "macro avg": {
        "precision": 0.8775,
        "recall": 0.8557692307692308,
        "f1-score": 0.8591836734693878,
        "support": 73,
    },
    "weighted avg": {
        "precision": 0.9238356164383562,
        "recall": 0.9452054794520548,
        "f1-score": 0.9311,
        "support": 73,
    },
    "micro avg": {
        "precision": 0.9452054794520548,
        "recall": 0.9452054794520548,
        "f1-score": 0.9452054794520548,
        "support": 73,
    },
}

# <Extractor>_report.json: labels are entity types (no `no_entity` row); sklearn is given the
# label list, so it writes "micro avg" and Rasa adds "accuracy" (token accuracy).
ENTITY_REPORT = {
    "location": {"precision": 0.95, "recall": 0.9, "f1-score": 0.9243, "support": 60, "confused_with": {}},
    "side": {
        "precision": 1.0,
        "recall": 0.8,
        "f1-score": 0.8889,
        "support": 15,
        "confused_with": {"location": 2},
    },
    "saddle_numbness": {
        "precision": 0.5,
        "recall": 0.25,
        "f1-score": 0.3333,
        "support": 8,
        "confused_with": {},
    },
    "micro avg": {"precision": 0.93, "recall": 0.8313, "f1-score": 0.8779, "support": 83},
    "macro avg": {"precision": 0.8167, "recall": 0.65, "f1-score": 0.7155, "support": 83},
    "weighted avg": {"precision": 0.9157, "recall": 0.8313, "f1-score": 0.8690, "support": 83},
    "accuracy": 0.97,
}

CV_LOG = """\
2025-11-21 18:00:00 INFO     rasa.nlu.test  - Accumulated test folds intent evaluation results:
2025-11-21 18:00:01 INFO     rasa.nlu.test  - Evaluation for entity extractor: ClinicalFindingsExtractor
2025-11-21 18:00:02 INFO     rasa.model_testing  - CV evaluation (n=5)
2025-11-21 18:00:02 INFO     rasa.model_testing  - Intent evaluation results
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train Accuracy: 0.998 (0.001)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train F1-score: 0.998 (0.001)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train Precision: 0.998 (0.001)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - test Accuracy: 0.951 (0.012)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - test F1-score: 0.949 (0.013)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - test Precision: 0.955 (0.010)
2025-11-21 18:00:02 INFO     rasa.model_testing  - Entity evaluation results
2025-11-21 18:00:02 INFO     rasa.nlu.test  - Entity extractor: ClinicalFindingsExtractor
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train Accuracy: 0.990 (0.002)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train F1-score: 0.901 (0.004)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - train Precision: 0.930 (0.003)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - \x1b[32mtest Accuracy: 0.989 (0.003)\x1b[0m
2025-11-21 18:00:02 INFO     rasa.nlu.test  - test F1-score: 0.897 (0.021)
2025-11-21 18:00:02 INFO     rasa.nlu.test  - test Precision: 0.925 (0.018)
"""


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_parse_intent_report():
    report = parse_report(INTENT_REPORT)
    assert set(report.labels) == {"greet", "ask_cause", "ask_seriousness", "describe_symptoms"}
    assert report.accuracy == pytest.approx(0.9452, abs=1e-4)
    assert report.f1("macro") == pytest.approx(0.8592, abs=1e-4)
    assert report.f1("weighted") == pytest.approx(0.9311)
    assert report.f1("micro") == pytest.approx(report.accuracy)
    assert report.support == 73
    assert report.labels["ask_seriousness"] == LabelScore(
        "ask_seriousness", 0.75, 0.5, 0.6, 6, {"ask_cause": 2, "nlu_fallback": 1}
    )


def test_parse_entity_report_and_missing_fields():
    report = parse_report(ENTITY_REPORT)
    assert set(report.labels) == {"location", "side", "saddle_numbness"}
    assert report.f1("micro") == pytest.approx(0.8779)
    assert report.accuracy == pytest.approx(0.97)
    # Older/partial reports: no confused_with, no averages.
    bare = parse_report({"side": {"precision": 1, "recall": 1, "f1-score": 1, "support": 2}})
    assert bare.labels["side"].confused_with == {}
    assert bare.accuracy is None
    assert bare.f1("macro") is None


def test_weakest_orders_by_f1_then_support():
    report = parse_report(
        {
            "a": {"precision": 1, "recall": 1, "f1-score": 0.5, "support": 3},
            "b": {"precision": 1, "recall": 1, "f1-score": 0.5, "support": 9},
            "c": {"precision": 1, "recall": 1, "f1-score": 0.9, "support": 9},
            "d": {"precision": 1, "recall": 1, "f1-score": 0.1, "support": 1},
        }
    )
    assert [s.label for s in weakest(report, 3)] == ["d", "b", "a"]


def test_entity_reports_found_by_name(tmp_path):
    for name, data in (
        ("intent_report.json", INTENT_REPORT),
        ("response_selection_report.json", {}),
        ("ClinicalFindingsExtractor_report.json", ENTITY_REPORT),
        ("RegexEntityExtractor_report.json", ENTITY_REPORT),
    ):
        _write(tmp_path / name, data)
    assert sorted(entity_report_paths(tmp_path)) == ["ClinicalFindingsExtractor", "RegexEntityExtractor"]
    reports = load_entity_reports(tmp_path)
    assert main_extractor(reports) == "ClinicalFindingsExtractor"
    assert main_extractor({"RegexEntityExtractor": 1}) == "RegexEntityExtractor"
    assert main_extractor({}) is None
    assert entity_report_paths(tmp_path / "missing") == {}


def test_confidence_summary(tmp_path):
    successes = [
        {
            "text": "yes",
            "intent": "answer_yes",
            "intent_prediction": {"name": "answer_yes", "confidence": 0.99},
        },
        {
            "text": "kinda",
            "intent": "answer_unsure",
            "intent_prediction": {"name": "answer_unsure", "confidence": 0.4},
        },
    ]
    errors = [
        {
            "text": "hm",
            "intent": "answer_unsure",
            "intent_prediction": {"name": "answer_no", "confidence": 0.3},
        },
        {
            "text": "is it bad",
            "intent": "ask_seriousness",
            "intent_prediction": {"name": "ask_cause", "confidence": 0.8},
        },
    ]
    _write(tmp_path / "intent_successes.json", successes)
    _write(tmp_path / "intent_errors.json", errors)
    assert confidence_summary(tmp_path, 0.45) == {
        "predictions": 4,
        "errors": 2,
        "below_threshold": 2,
        "below_threshold_correct": 1,
    }
    assert confidence_summary(tmp_path, None)["below_threshold"] == 0
    assert confidence_summary(tmp_path / "none", 0.45) == {
        "predictions": 0,
        "errors": 0,
        "below_threshold": 0,
        "below_threshold_correct": 0,
    }


def test_fallback_threshold_read_from_config(tmp_path):
    assert fallback_threshold(nlu_report.CONFIG) == 0.4  # the project's config.yml
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: FallbackClassifier\n", encoding="utf-8")
    assert fallback_threshold(config) == 0.3  # Rasa's default
    config.write_text("pipeline:\n  - name: WhitespaceTokenizer\n", encoding="utf-8")
    assert fallback_threshold(config) is None
    assert fallback_threshold(tmp_path / "missing.yml") is None


def test_parse_cv_log():
    stats = parse_cv_log(CV_LOG)
    assert stats["folds"] == 5
    assert stats["intent"]["test"]["F1-score"] == {"mean": 0.949, "std": 0.013}
    assert stats["intent"]["train"]["Accuracy"] == {"mean": 0.998, "std": 0.001}
    entity = stats["entities"]["ClinicalFindingsExtractor"]
    assert entity["test"]["Accuracy"] == {"mean": 0.989, "std": 0.003}  # colour codes stripped
    assert entity["test"]["F1-score"] == {"mean": 0.897, "std": 0.021}
    assert parse_cv_log("nothing here") == {"folds": None, "intent": {}, "entities": {}}


def test_replace_section_keeps_other_sections():
    document = (
        "# Evaluation\n\nintro\n\n<!-- sim:start -->\nsimulated patients\n<!-- sim:end -->\n\n"
        "<!-- nlu:start -->\nold figures\n<!-- nlu:end -->\n\n"
        "<!-- bench:start -->\nbench\n<!-- bench:end -->\n"
    )
    updated = replace_section(document, "## NLU evaluation\nnew figures\n")
    assert "old figures" not in updated
    assert "<!-- nlu:start -->\n## NLU evaluation\nnew figures\n<!-- nlu:end -->" in updated
    assert updated.replace("<!-- nlu:start -->\n## NLU evaluation\nnew figures\n<!-- nlu:end -->", "") == (
        document.replace("<!-- nlu:start -->\nold figures\n<!-- nlu:end -->", "")
    )
    assert replace_section(updated, "## NLU evaluation\nnew figures") == updated  # idempotent


def test_replace_section_adds_markers_when_missing():
    appended = replace_section("# Evaluation\n\n<!-- sim:start -->\nx\n<!-- sim:end -->\n", "body")
    assert appended == (
        "# Evaluation\n\n<!-- sim:start -->\nx\n<!-- sim:end -->\n\n"
        "<!-- nlu:start -->\nbody\n<!-- nlu:end -->\n"
    )
    assert replace_section("", "body") == "# Evaluation\n\n<!-- nlu:start -->\nbody\n<!-- nlu:end -->\n"
    # An end marker before the start marker is not a section: append a fresh one.
    assert replace_section("<!-- nlu:end -->\n<!-- nlu:start -->\n", "b").endswith(
        "<!-- nlu:start -->\nb\n<!-- nlu:end -->\n"
    )


def test_metric_rows_and_table():
    intent, entities = parse_report(INTENT_REPORT), {"ClinicalFindingsExtractor": parse_report(ENTITY_REPORT)}
    rows = {row.key: row for row in metric_rows(intent, entities, intent, entities, parse_cv_log(CV_LOG))}
    assert rows["intent_macro_f1"].target == 0.95
    assert rows["intent_macro_f1"].heldout == pytest.approx(0.8592, abs=1e-4)
    assert rows["intent_weighted_f1"].cv_folds == {"mean": 0.949, "std": 0.013}
    assert rows["entity_micro_f1"].cv_pooled == pytest.approx(0.8779)
    assert rows["entity_weighted_f1"].cv_folds == {"mean": 0.897, "std": 0.021}
    table = metrics_table(list(rows.values()), 5)
    assert "| Intent macro-F1 | >= 0.95 | 0.859 | 0.859 | - | **no** / **no** |" in table
    assert "0.949 ± 0.013" in table
    assert "| Entity macro-F1 (ClinicalFindingsExtractor) | >= 0.90 |" in table
    empty = metric_rows(None, {}, None, {}, {})
    assert all(row.heldout is None and row.cv_pooled is None for row in empty)
    assert "| Intent accuracy | - | - | - | - | - |" in metrics_table(empty, None)


def test_parse_args_defaults_and_checks():
    args = parse_args([])
    assert (args.folds, args.test_fraction, args.seed, args.reuse_reports) == (5, 0.2, 42, False)
    for bad in (["--folds", "1"], ["--test-fraction", "1.5"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_build_outputs_from_fixture_reports(tmp_path, monkeypatch):
    """Everything after the Rasa commands, on fixture reports in a temporary tree."""
    heldout, cv = tmp_path / "reports" / "nlu_heldout", tmp_path / "reports" / "nlu_cv"
    docs = tmp_path / "docs"
    for folder in (heldout, cv):
        _write(folder / "intent_report.json", INTENT_REPORT)
        _write(folder / "ClinicalFindingsExtractor_report.json", ENTITY_REPORT)
    (heldout / "intent_confusion_matrix.png").write_bytes(b"png")
    _write(heldout / "ClinicalRedFlagDetector_report.json", {"location": ENTITY_REPORT["location"]})
    (cv / "cv.log").write_text(CV_LOG, encoding="utf-8")
    _write(
        heldout / "intent_errors.json",
        [{"intent": "x", "intent_prediction": {"name": "y", "confidence": 0.2}}],
    )
    _write(
        heldout / "intent_successes.json",
        [{"intent": "x", "intent_prediction": {"name": "x", "confidence": 0.9}}],
    )
    docs.mkdir()
    (docs / "evaluation.md").write_text("# Evaluation\n\nother worker's text\n", encoding="utf-8")
    monkeypatch.setattr(nlu_report, "HELDOUT_DIR", heldout)
    monkeypatch.setattr(nlu_report, "CV_DIR", cv)
    monkeypatch.setattr(nlu_report, "JSON_OUT", tmp_path / "reports" / "nlu_report.json")
    monkeypatch.setattr(nlu_report, "EVALUATION_MD", docs / "evaluation.md")
    monkeypatch.setattr(nlu_report, "IMG_DIR", docs / "img")

    args = argparse.Namespace(folds=5, test_fraction=0.2, seed=42, config=nlu_report.CONFIG)
    dataset = {
        "files": 2,
        "examples": 73,
        "intents": {"greet": 6, "ask_cause": 13, "ask_seriousness": 6, "describe_symptoms": 48},
        "entity_annotations": 83,
        "entities": {"location": 60, "side": 15, "saddle_numbness": 8},
    }
    summary, rows = nlu_report.build_outputs(args, dataset, {"train": 58, "test": 15}, {"total": 90.0})

    assert (docs / "img" / "nlu_confusion_matrix.png").read_bytes() == b"png"
    assert (docs / "img" / "nlu_intent_f1.png").read_bytes()[:4] == b"\x89PNG"
    assert (docs / "img" / "nlu_entity_f1.png").read_bytes()[:4] == b"\x89PNG"
    assert "cv_confusion_matrix" not in summary["images"]  # rasa wrote none in this fixture
    saved = json.loads((tmp_path / "reports" / "nlu_report.json").read_text(encoding="utf-8"))
    assert saved["heldout"]["confidence"] == {
        "predictions": 2,
        "errors": 1,
        "below_threshold": 1,
        "below_threshold_correct": 0,
    }
    assert saved["cv"]["confidence"]["predictions"] == 0  # no successes/errors files in the CV fixture
    assert saved["cv"]["fold_stats"]["intent"]["test"]["F1-score"]["mean"] == 0.949
    assert saved["metrics"][0]["key"] == "intent_macro_f1"
    assert saved["extractor"] == "ClinicalFindingsExtractor"
    assert saved["other_extractors"] == ["ClinicalRedFlagDetector"]

    markdown = (docs / "evaluation.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Evaluation\n\nother worker's text\n\n<!-- nlu:start -->\n## NLU evaluation")
    assert markdown.endswith("<!-- nlu:end -->\n")
    assert "73 examples of 4 intents" in markdown
    assert "](img/nlu_intent_f1.png)" in markdown
    assert (
        "| `ask_seriousness` | 6 | 0.600 | 0.75 / 0.50 | 0.600 | `ask_cause` (2), `nlu_fallback` (1) |"
        in markdown
    )
    assert "| `saddle_numbness` | 8 | 0.333 |" in markdown
    assert "Run time: total 1.5 min." in markdown
    assert (
        "Held-out: 1 of 2 test messages get a wrong intent; 1 have a top-intent confidence below" in markdown
    )
    assert "Cross-validation (all folds):" not in markdown
    assert "Rasa also wrote reports for `ClinicalRedFlagDetector`" in markdown
    assert len(rows) == 6


def test_build_outputs_when_cross_validation_failed(tmp_path, monkeypatch):
    heldout, cv = tmp_path / "nlu_heldout", tmp_path / "nlu_cv"
    _write(heldout / "intent_report.json", INTENT_REPORT)
    _write(heldout / "ClinicalFindingsExtractor_report.json", ENTITY_REPORT)
    _write(cv / "intent_report.json", {"greet": INTENT_REPORT["greet"]})  # stale, from an earlier run
    monkeypatch.setattr(nlu_report, "HELDOUT_DIR", heldout)
    monkeypatch.setattr(nlu_report, "CV_DIR", cv)
    monkeypatch.setattr(nlu_report, "JSON_OUT", tmp_path / "nlu_report.json")
    monkeypatch.setattr(nlu_report, "EVALUATION_MD", tmp_path / "docs" / "evaluation.md")
    monkeypatch.setattr(nlu_report, "IMG_DIR", tmp_path / "docs" / "img")
    (tmp_path / "docs").mkdir()
    args = argparse.Namespace(folds=5, test_fraction=0.2, seed=42, config=nlu_report.CONFIG)
    dataset = {"files": 1, "examples": 73, "intents": {"greet": 6}, "entity_annotations": 0, "entities": {}}
    summary, rows = nlu_report.build_outputs(args, dataset, None, {}, cv_failed=True)
    assert summary["cv_failed"] is True
    assert all(row.cv_pooled is None for row in rows)
    assert rows[0].heldout == pytest.approx(0.8592, abs=1e-4)
    markdown = (tmp_path / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert "**Cross-validation failed**" in markdown
    assert "ranked on the held-out test set" in markdown


def test_snapshot_holds_the_pipeline_and_not_the_heavy_folders(tmp_path):
    project = nlu_report.snapshot_project(tmp_path)
    for needed in (
        "config.yml",
        "addons/clinical_extractor.py",
        "clinical_nlp",
        "triage",
        "lexicon",
        "data/nlu",
    ):
        assert (project / needed).exists(), needed
    for skipped in (".venv", ".git", "models", "reports", "docs", "tests"):
        assert not (project / skipped).exists(), skipped
    assert nlu_report.in_tree(nlu_report.CONFIG, project) == project / "config.yml"
    assert nlu_report.in_tree(Path("/tmp/elsewhere.yml"), project) == Path("/tmp/elsewhere.yml")


def test_shown_command_uses_project_relative_paths(tmp_path):
    args = [
        "train",
        "nlu",
        "--config",
        str(tmp_path / "config.yml"),
        "--out",
        str(nlu_report.ROOT / "reports"),
    ]
    assert nlu_report._shown(args, tmp_path) == "rasa train nlu --config config.yml --out reports"
