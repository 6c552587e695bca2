"""NLU evaluation report: a held-out split and k-fold cross-validation of ``data/nlu``.

    python -m scripts.nlu_report [--folds 5] [--test-fraction 0.2] [--seed 42]

1. Held-out: Rasa's own stratified ``TrainingData.train_test_split`` (fixed seed) of every file in
   ``data/nlu``; ``rasa train nlu`` on the train part with ``config.yml``; ``rasa test nlu`` on the
   test part, into ``reports/nlu_heldout/``.
2. Cross-validation: ``rasa test nlu --cross-validation --folds K`` into ``reports/nlu_cv/``. Rasa
   shuffles its ``StratifiedKFold`` with numpy's global generator, so the command runs with numpy
   seeded (``--seed``) and gives the same folds every time.
3. Reads Rasa's ``intent_report.json`` and ``<Extractor>_report.json`` files, draws
   ``docs/img/nlu_*.png``, writes ``reports/nlu_report.json`` and the section between the nlu
   markers of ``docs/evaluation.md``, and prints the summary table.

The figures are reported, never asserted: the exit code is non-zero only when a Rasa command fails.
``--reuse-reports`` skips training and re-reads the reports of an earlier run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = ROOT / "data" / "nlu"
CONFIG = ROOT / "config.yml"
HELDOUT_DIR = ROOT / "reports" / "nlu_heldout"
CV_DIR = ROOT / "reports" / "nlu_cv"
SPLIT_DIR = ROOT / "reports" / "nlu_split"
JSON_OUT = ROOT / "reports" / "nlu_report.json"
EVALUATION_MD = ROOT / "docs" / "evaluation.md"
IMG_DIR = ROOT / "docs" / "img"
CV_LOG = "cv.log"

SECTION_START = "<!-- nlu:start -->"
SECTION_END = "<!-- nlu:end -->"
EXTRACTOR = "ClinicalFindingsExtractor"
INTENT_TARGET = 0.95
ENTITY_TARGET = 0.90
N_WEAKEST = 5
NOT_ENTITY_REPORTS = {"intent_report.json", "response_selection_report.json"}

# `python -c` program: `rasa <args>` with Python's and numpy's generators seeded first.
SEEDED_RASA = (
    "import random, sys\n"
    "import numpy\n"
    "seed = int(sys.argv[1])\n"
    "random.seed(seed)\n"
    "numpy.random.seed(seed)\n"
    "sys.argv = ['rasa'] + sys.argv[2:]\n"
    "from rasa.__main__ import main\n"
    "main()\n"
)


# ---------------------------------------------------------------------------------------------
# Rasa's report format
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScore:
    """One label's row of a Rasa classification report."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    confused_with: Dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """A Rasa ``*_report.json``: sklearn's classification report plus ``confused_with``."""

    labels: Dict[str, LabelScore]
    accuracy: Optional[float]
    macro: Dict[str, float]
    weighted: Dict[str, float]
    micro: Dict[str, float]

    @property
    def support(self) -> int:
        return sum(score.support for score in self.labels.values())

    def f1(self, average: str) -> Optional[float]:
        """``macro``, ``weighted`` or ``micro`` F1; None when the report lacks that average."""
        return {"macro": self.macro, "weighted": self.weighted, "micro": self.micro}[average].get("f1-score")


_AVERAGES = {"macro avg", "weighted avg", "micro avg", "samples avg"}


def _average(data: Mapping[str, Any], key: str) -> Dict[str, float]:
    row = data.get(key)
    if not isinstance(row, Mapping):
        return {}
    return {name: float(value) for name, value in row.items() if isinstance(value, (int, float))}


def parse_report(data: Mapping[str, Any]) -> Report:
    """Reads a Rasa report dict: ``{label: {precision, recall, f1-score, support, confused_with}}``
    plus ``accuracy`` (a float) and the ``macro avg`` / ``weighted avg`` / ``micro avg`` rows."""
    labels: Dict[str, LabelScore] = {}
    for name, row in data.items():
        if name in _AVERAGES or name == "accuracy" or not isinstance(row, Mapping):
            continue
        confused = row.get("confused_with") or {}
        labels[name] = LabelScore(
            label=name,
            precision=float(row.get("precision", 0.0)),
            recall=float(row.get("recall", 0.0)),
            f1=float(row.get("f1-score", 0.0)),
            support=int(row.get("support", 0)),
            confused_with={str(k): int(v) for k, v in confused.items()},
        )
    accuracy = data.get("accuracy")
    return Report(
        labels=labels,
        accuracy=float(accuracy) if isinstance(accuracy, (int, float)) else None,
        macro=_average(data, "macro avg"),
        weighted=_average(data, "weighted avg"),
        micro=_average(data, "micro avg"),
    )


def load_report(path: Path) -> Optional[Report]:
    if not path.is_file():
        return None
    return parse_report(json.loads(path.read_text(encoding="utf-8")))


def entity_report_paths(directory: Path) -> Dict[str, Path]:
    """``{extractor: path}`` for every ``<Extractor>_report.json`` Rasa wrote in ``directory``."""
    if not directory.is_dir():
        return {}
    return {
        path.name[: -len("_report.json")]: path
        for path in sorted(directory.glob("*_report.json"))
        if path.name not in NOT_ENTITY_REPORTS
    }


def load_entity_reports(directory: Path) -> Dict[str, Report]:
    reports = {name: load_report(path) for name, path in entity_report_paths(directory).items()}
    return {name: report for name, report in reports.items() if report is not None}


def main_extractor(reports: Mapping[str, Any]) -> Optional[str]:
    """The project's extractor when it has a report, else the first one."""
    if EXTRACTOR in reports:
        return EXTRACTOR
    return next(iter(sorted(reports)), None)


def weakest(report: Report, n: int = N_WEAKEST) -> List[LabelScore]:
    """The ``n`` labels with the lowest F1 (ties: the one with more examples first)."""
    return sorted(report.labels.values(), key=lambda s: (s.f1, -s.support, s.label))[:n]


def component_settings(config: Path, name: str) -> Optional[Dict[str, Any]]:
    """The settings of pipeline component ``name`` (class name, with or without its module) in
    ``config``; None when the file or the component is missing."""
    import yaml

    if not config.is_file():
        return None
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    for component in pipeline:
        if isinstance(component, Mapping) and str(component.get("name", "")).rsplit(".", 1)[-1] == name:
            return {k: v for k, v in component.items() if k != "name"}
    return None


def fallback_threshold(config: Path) -> Optional[float]:
    """The FallbackClassifier's ``threshold`` in ``config`` (Rasa's default 0.3 when not set)."""
    settings = component_settings(config, "FallbackClassifier")
    return None if settings is None else float(settings.get("threshold", 0.3))


def _predictions(path: Path) -> List[Mapping[str, Any]]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [item for item in data if isinstance(item, Mapping)] if isinstance(data, list) else []


def confidence_summary(directory: Path, threshold: Optional[float]) -> Dict[str, int]:
    """Counts from Rasa's ``intent_successes.json`` and ``intent_errors.json``.

    ``rasa test nlu`` undoes the FallbackClassifier (it scores the top intent instead of
    ``nlu_fallback``), so this counts the predictions whose confidence is below the fallback
    threshold: the live assistant would answer those with its fallback.
    """
    successes = _predictions(directory / "intent_successes.json")
    errors = _predictions(directory / "intent_errors.json")

    def low(items: List[Mapping[str, Any]]) -> int:
        if threshold is None:
            return 0
        count = 0
        for item in items:
            confidence = (item.get("intent_prediction") or {}).get("confidence")
            if isinstance(confidence, (int, float)) and confidence < threshold:
                count += 1
        return count

    return {
        "predictions": len(successes) + len(errors),
        "errors": len(errors),
        "below_threshold": low(successes) + low(errors),
        "below_threshold_correct": low(successes),
    }


# ---------------------------------------------------------------------------------------------
# Cross-validation fold statistics (Rasa logs them; its report files pool all folds)
# ---------------------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CV_START = re.compile(r"CV evaluation \(n=(\d+)\)")
_CV_METRIC = re.compile(r"\b(train|test) (Accuracy|F1-score|Precision): (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\)")
_CV_EXTRACTOR = re.compile(r"Entity extractor: (\S+)")


def parse_cv_log(text: str) -> Dict[str, Any]:
    """Fold mean and std from the log of ``rasa test nlu --cross-validation``.

    Rasa logs, after ``CV evaluation (n=K)``, ``Intent evaluation results`` then
    ``<train|test> <Accuracy|F1-score|Precision>: mean (std)`` lines, and under
    ``Entity evaluation results`` the same per ``Entity extractor: <name>``. Its F1-score and
    Precision are support-weighted averages over labels (entities: without ``no_entity``).
    Returns ``{"folds": K, "intent": {split: {metric: {mean, std}}}, "entities": {extractor: ...}}``.
    """
    result: Dict[str, Any] = {"folds": None, "intent": {}, "entities": {}}
    section: Optional[str] = None
    extractor: Optional[str] = None
    started = False
    for raw in text.splitlines():
        line = _ANSI.sub("", raw)
        start = _CV_START.search(line)
        if start:
            started = True
            result["folds"] = int(start.group(1))
            continue
        if not started:
            continue
        if "Intent evaluation results" in line:
            section, extractor = "intent", None
        elif "Entity evaluation results" in line:
            section, extractor = "entities", None
        elif "Response Selection evaluation results" in line:
            section, extractor = None, None
        elif section == "entities" and _CV_EXTRACTOR.search(line):
            extractor = _CV_EXTRACTOR.search(line).group(1)  # type: ignore[union-attr]
        else:
            metric = _CV_METRIC.search(line)
            if not metric or section is None:
                continue
            split, name, mean, std = metric.groups()
            if section == "intent":
                target = result["intent"]
            elif extractor is not None:
                target = result["entities"].setdefault(extractor, {})
            else:
                continue
            target.setdefault(split, {})[name] = {"mean": float(mean), "std": float(std)}
    return result


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def replace_section(document: str, body: str, start: str = SECTION_START, end: str = SECTION_END) -> str:
    """``document`` with the text between ``start`` and ``end`` replaced by ``body``; the markers
    are appended at the end when missing. Everything outside the markers is kept as it is."""
    block = f"{start}\n{body.strip()}\n{end}"
    i, j = document.find(start), document.find(end)
    if i != -1 and j != -1 and i < j:
        return document[:i] + block + document[j + len(end) :]
    if not document.strip():
        return f"# Evaluation\n\n{block}\n"
    return f"{document.rstrip()}\n\n{block}\n"


def _fmt(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def _fmt_fold(stat: Optional[Mapping[str, float]]) -> str:
    return "-" if not stat else f"{stat['mean']:.3f} ± {stat['std']:.3f}"


def _confusions(score: Optional[LabelScore]) -> str:
    if score is None or not score.confused_with:
        return "-"
    ordered = sorted(score.confused_with.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"`{name}` ({count})" for name, count in ordered)


@dataclass(frozen=True)
class MetricRow:
    key: str
    name: str
    target: Optional[float]
    heldout: Optional[float]
    cv_pooled: Optional[float]
    cv_folds: Optional[Dict[str, float]]


def _entity(reports: Mapping[str, Report]) -> Optional[Report]:
    name = main_extractor(reports)
    return reports[name] if name else None


def metric_rows(
    heldout_intent: Optional[Report],
    heldout_entities: Mapping[str, Report],
    cv_intent: Optional[Report],
    cv_entities: Mapping[str, Report],
    cv_log: Mapping[str, Any],
) -> List[MetricRow]:
    """The headline figures, one row per metric."""
    h_ent, c_ent = _entity(heldout_entities), _entity(cv_entities)
    extractor = main_extractor(cv_entities) or main_extractor(heldout_entities) or EXTRACTOR
    fold_intent = cv_log.get("intent", {}).get("test", {})
    fold_entity = cv_log.get("entities", {}).get(extractor, {}).get("test", {})

    def f1(report: Optional[Report], average: str) -> Optional[float]:
        return report.f1(average) if report else None

    return [
        MetricRow(
            "intent_macro_f1",
            "Intent macro-F1",
            INTENT_TARGET,
            f1(heldout_intent, "macro"),
            f1(cv_intent, "macro"),
            None,
        ),
        MetricRow(
            "intent_weighted_f1",
            "Intent weighted F1",
            None,
            f1(heldout_intent, "weighted"),
            f1(cv_intent, "weighted"),
            fold_intent.get("F1-score"),
        ),
        MetricRow(
            "intent_accuracy",
            "Intent accuracy",
            None,
            heldout_intent.accuracy if heldout_intent else None,
            cv_intent.accuracy if cv_intent else None,
            fold_intent.get("Accuracy"),
        ),
        MetricRow(
            "entity_macro_f1",
            f"Entity macro-F1 ({extractor})",
            ENTITY_TARGET,
            f1(h_ent, "macro"),
            f1(c_ent, "macro"),
            None,
        ),
        MetricRow(
            "entity_weighted_f1",
            f"Entity weighted F1 ({extractor})",
            ENTITY_TARGET,
            f1(h_ent, "weighted"),
            f1(c_ent, "weighted"),
            fold_entity.get("F1-score"),
        ),
        MetricRow(
            "entity_micro_f1",
            f"Entity micro-F1 ({extractor})",
            ENTITY_TARGET,
            f1(h_ent, "micro"),
            f1(c_ent, "micro"),
            None,
        ),
    ]


def _met(value: Optional[float], target: Optional[float]) -> str:
    if target is None or value is None:
        return "-"
    return "yes" if value >= target else "**no**"


def metrics_table(rows: Sequence[MetricRow], folds: Optional[int]) -> str:
    k = folds or "k"
    lines = [
        f"| metric | target | held-out | {k}-fold CV, pooled | {k}-fold CV, fold mean ± std | target met "
        "(held-out / CV) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        target = "-" if row.target is None else f">= {row.target:.2f}"
        met = (
            "-"
            if row.target is None
            else f"{_met(row.heldout, row.target)} / {_met(row.cv_pooled, row.target)}"
        )
        lines.append(
            f"| {row.name} | {target} | {_fmt(row.heldout)} | {_fmt(row.cv_pooled)} | "
            f"{_fmt_fold(row.cv_folds)} | {met} |"
        )
    return "\n".join(lines)


def weakest_table(
    primary: Optional[Report], other: Optional[Report], names: Tuple[str, str], kind: str
) -> str:
    """The weakest labels of ``primary`` with their F1 in both reports and their confusions."""
    if primary is None:
        return f"_No {kind} report._"
    lines = [
        f"| {kind} | support ({names[0]}) | F1 {names[0]} | precision / recall {names[0]} | F1 {names[1]} "
        f"| most often predicted instead ({names[0]}) |",
        "|---|---|---|---|---|---|",
    ]
    for score in weakest(primary):
        other_score = other.labels.get(score.label) if other else None
        lines.append(
            f"| `{score.label}` | {score.support} | {score.f1:.3f} | "
            f"{score.precision:.2f} / {score.recall:.2f} | "
            f"{_fmt(other_score.f1 if other_score else None)} | {_confusions(score)} |"
        )
    return "\n".join(lines)


def _count_table(counts: Mapping[str, int], header: str, unit: str) -> str:
    lines = [f"| {header} | {unit} |", "|---|---|"]
    lines += [
        f"| `{name}` | {count} |" for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(lines)


def render_markdown(summary: Mapping[str, Any], rows: Sequence[MetricRow], weak: Mapping[str, str]) -> str:
    """The body of the nlu section of ``docs/evaluation.md``."""
    machine = summary["machine"]
    data = summary["dataset"]
    split = summary.get("split") or {}
    args = summary["arguments"]
    durations = summary.get("durations_s") or {}
    folds = summary.get("cv", {}).get("folds") or args["folds"]
    extractor = summary.get("extractor") or EXTRACTOR
    minutes = {k: f"{v / 60:.1f} min" for k, v in durations.items()}
    timing = ", ".join(f"{k} {v}" for k, v in minutes.items()) or "not recorded"
    images = summary.get("images", {})

    parts = [
        "## NLU evaluation",
        "",
        f"Generated by `{summary['command']}` on {summary['date']}"
        + (f" at commit {summary['revision']}" if summary.get("revision") else "")
        + f": {machine['platform']}, "
        f"{machine['cpu_count']} CPUs, Python {machine['python']}, Rasa {machine['rasa']}. "
        f"Run time: {timing}.",
        "",
        f"**Data.** {data['examples']} examples of {len(data['intents'])} intents in `data/nlu/` "
        f"({data['files']} files), {data['entity_annotations']} entity annotations of "
        f"{len(data['entities'])} types.",
        "",
        "<details><summary>Examples per intent and annotations per entity</summary>",
        "",
        _count_table(data["intents"], "intent", "examples"),
        "",
        _count_table(data["entities"], "entity", "annotations"),
        "",
        "</details>",
        "",
        "**Method.**",
        f"- Held-out: Rasa's stratified `TrainingData.train_test_split` (seed {args['seed']}) puts "
        f"{split.get('train', '?')} examples in train and {split.get('test', '?')} in test "
        f"(test fraction {args['test_fraction']}, every intent on both sides); `rasa train nlu` with "
        "`config.yml` on the train part, `rasa test nlu` on the test part (`reports/nlu_heldout/`).",
        f"- Cross-validation: `rasa test nlu --cross-validation --folds {folds}` on all of `data/nlu` "
        f"(`reports/nlu_cv/`), numpy seeded with {args['seed']} so the folds are the same on each run. "
        "*Pooled* = Rasa's report over the predictions of all test folds together; *fold mean ± std* = "
        "what Rasa logs per fold, which is only weighted F1, precision and accuracy.",
        "- Rasa runs in a copy of the working tree taken when the report starts, so edits made during "
        "the run do not mix into the figures.",
        "- Intents: `rasa test nlu` scores the pipeline's final intent but undoes the FallbackClassifier "
        "(a `nlu_fallback` is replaced by the top intent), so low-confidence answers are counted below "
        "the table; the extractor's red-flag override (`report_red_flag`) counts as the prediction.",
        f"- Entities are those of `{extractor}`, scored the way Rasa scores them: per token, over the "
        "labels of the annotated data, without `no_entity`. *Macro* = unweighted mean over entity labels "
        "(rare labels count as much as `location`), *weighted* = mean weighted by support (Rasa's own "
        'headline "F1-score"), *micro* = pooled over all entity tokens. The issue\'s entity target names no '
        "averaging, so it is checked against all three.",
        *(
            [
                f"- Rasa also wrote reports for {', '.join(f'`{n}`' for n in summary['other_extractors'])}; "
                "they are in `reports/` and `reports/nlu_report.json` but not scored here (e.g. the "
                "`red_flag` / `triage_level` entities of the red-flag check are not annotated in the data)."
            ]
            if summary.get("other_extractors")
            else []
        ),
        "",
        metrics_table(rows, folds),
        "",
    ]
    threshold = summary.get("fallback_threshold")
    for name, key in (("Held-out", "heldout"), ("Cross-validation (all folds)", "cv")):
        counts = summary.get(key, {}).get("confidence") or {}
        if counts.get("predictions"):
            line = f"{name}: {counts['errors']} of {counts['predictions']} test messages get a wrong intent"
            if threshold is not None:
                low, low_right = counts["below_threshold"], counts["below_threshold_correct"]
                line += (
                    f"; {low} have a top-intent confidence below the FallbackClassifier threshold "
                    f"{threshold} ({low_right} of them with the right intent), so the assistant would "
                    "answer them with its fallback (the ambiguity rule not counted)"
                )
            parts += [line + ".", ""]
    if summary.get("cv_failed"):
        parts += [
            f"**Cross-validation failed** on this run (log: `reports/nlu_cv/{CV_LOG}`), so its columns are "
            "empty and the weakest labels are ranked on the held-out set.",
            "",
        ]
    parts += [
        f"**Weakest intents** (ranked on {weak['source']}):",
        "",
        weak["intents"],
        "",
        f"**Weakest entity labels** (ranked on {weak['source']}; support counts tokens; missed tokens, "
        "i.e. predicted `no_entity`, show as low recall and are not listed as confusions):",
        "",
        weak["entities"],
        "",
    ]
    for title, key in (
        ("Intent confusion matrix, held-out", "confusion_matrix"),
        ("Intent confusion matrix, cross-validation (all folds)", "cv_confusion_matrix"),
        ("F1 per intent", "intent_f1"),
        ("F1 per entity label", "entity_f1"),
    ):
        if key in images:
            parts.append(f"- [{title}]({images[key]})")
    for title, key in (("F1 per intent", "intent_f1"), ("F1 per entity label", "entity_f1")):
        if key in images:
            parts += ["", f"![{title}]({images[key]})"]
    parts += ["", "Reports: `reports/nlu_heldout/`, `reports/nlu_cv/`, `reports/nlu_report.json`."]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def plot_f1(
    series: Mapping[str, Mapping[str, float]], target: Optional[float], title: str, path: Path
) -> None:
    """Horizontal bars of F1 per label, one bar per series, weakest label (of the last series) on top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.transforms import offset_copy

    series = {name: values for name, values in series.items() if values}
    if not series:
        return
    last = list(series.values())[-1]
    labels = sorted(
        {label for values in series.values() for label in values}, key=lambda x: (last.get(x, 0.0), x)
    )
    labels.reverse()  # matplotlib draws the first label at the bottom
    height = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.32 * len(labels) * max(1, len(series) * 0.75)))
    for i, (name, values) in enumerate(series.items()):
        ys = [y + ((len(series) - 1) / 2 - i) * height for y in range(len(labels))]  # first on top
        ax.barh(ys, [values.get(label, 0.0) for label in labels], height=height, label=name)
    if target is not None:
        ax.axvline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:.2f}")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlim(0, 1.0)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_title(title)
    below_ticks = offset_copy(ax.transAxes, fig=fig, y=-20, units="points")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=below_ticks,
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _f1s(report: Optional[Report]) -> Dict[str, float]:
    return {name: score.f1 for name, score in report.labels.items()} if report else {}


# ---------------------------------------------------------------------------------------------
# Running Rasa
# ---------------------------------------------------------------------------------------------


class CommandError(RuntimeError):
    def __init__(self, command: Sequence[str], log: Path) -> None:
        super().__init__(f"command failed: {' '.join(command)} (log: {log})")
        self.log = log


def _env(workdir: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join(p for p in (str(workdir), env.get("PYTHONPATH", "")) if p),
    )
    return env


def run_command(command: Sequence[str], log: Path, shown: str, workdir: Path = ROOT) -> float:
    """Runs ``command`` in ``workdir`` with its output in ``log``; returns seconds taken."""
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"$ {shown}  (log: {os.path.relpath(log, ROOT)})", flush=True)
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        completed = subprocess.run(
            command, cwd=workdir, env=_env(workdir), stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if completed.returncode != 0:
        raise CommandError(command, log)
    return time.monotonic() - started


def _rasa(*args: str) -> List[str]:
    return [sys.executable, "-m", "rasa", *args]


def _shown(args: Sequence[str], workdir: Path) -> str:
    """The command as a person would type it: paths relative to the project (or its snapshot)."""
    words = ["rasa"]
    for arg in args:
        for base in (workdir, ROOT):
            if arg.startswith(str(base) + os.sep):
                arg = os.path.relpath(arg, base)
                break
        words.append(arg)
    return " ".join(words)


SNAPSHOT_IGNORE = (
    ".git",
    ".venv",
    ".lockenv",
    ".rasa",
    "models",
    "reports",
    "results",
    "docs",
    "tests",
    "__pycache__",
    "*_cache",
    "*.db",
    "*.db-journal",
    "*.tar.gz",
)


def snapshot_project(dest: Path) -> Path:
    """A copy of the working tree (code, lexicon, knowledge, data, config) for Rasa to run in, so
    files edited during the run (it takes the better part of an hour) cannot mix two versions of
    the pipeline into one set of figures."""
    project = dest / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(*SNAPSHOT_IGNORE))
    return project


def in_tree(path: Path, tree: Path) -> Path:
    """``path`` moved from the project into ``tree``; a path outside the project stays as it is."""
    resolved = Path(path).resolve()
    try:
        return tree / resolved.relative_to(ROOT)
    except ValueError:
        return resolved


def git_revision() -> Optional[str]:
    """``<short sha>``, plus a note when tracked files have uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head} with uncommitted changes" if dirty else head


def load_nlu_data(nlu_dir: Path) -> Any:
    from rasa.shared.nlu.training_data.loading import load_data

    with warnings.catch_warnings():
        # Annotated values such as {"value": "false"} make Rasa collect conflicting synonyms; no
        # EntitySynonymMapper is in the pipeline, so the warnings say nothing about this report.
        warnings.filterwarnings("ignore", message=".*inconsistent entity synonyms.*")
        return load_data(str(nlu_dir))


def dataset_stats(data: Any, nlu_dir: Path) -> Dict[str, Any]:
    entities: Counter[str] = Counter(
        entity["entity"] for example in data.training_examples for entity in example.get("entities") or []
    )
    return {
        "files": len(sorted(nlu_dir.glob("*.y*ml"))),
        "examples": len(data.intent_examples),
        "intents": dict(sorted(data.number_of_examples_per_intent.items())),
        "entity_annotations": sum(entities.values()),
        "entities": dict(sorted(entities.items())),
    }


def split_data(data: Any, test_fraction: float, seed: int, out_dir: Path) -> Dict[str, Any]:
    """Rasa's stratified split; writes ``training_data.yml`` and ``test_data.yml`` to ``out_dir``."""
    train, test = data.train_test_split(train_frac=1.0 - test_fraction, random_seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    train.persist_nlu(str(out_dir / "training_data.yml"))
    test.persist_nlu(str(out_dir / "test_data.yml"))
    return {
        "train": len(train.intent_examples),
        "test": len(test.intent_examples),
        "test_per_intent": dict(sorted(test.number_of_examples_per_intent.items())),
    }


def run_heldout(
    data: Any, args: argparse.Namespace, workdir: Path, tmp: Path
) -> Tuple[Dict[str, Any], Dict[str, float]]:
    durations: Dict[str, float] = {}
    split = split_data(data, args.test_fraction, args.seed, SPLIT_DIR)
    shutil.rmtree(HELDOUT_DIR, ignore_errors=True)
    config = str(in_tree(args.config, workdir))
    train_file, test_file = str(SPLIT_DIR / "training_data.yml"), str(SPLIT_DIR / "test_data.yml")
    train = ["train", "nlu", "--config", config, "--nlu", train_file]
    train += ["--out", str(tmp), "--fixed-model-name", "nlu_split"]
    durations["held-out training"] = run_command(
        _rasa(*train), SPLIT_DIR / "train.log", _shown(train, workdir), workdir
    )
    model = str(tmp / "nlu_split.tar.gz")
    test = ["test", "nlu", "--model", model, "--nlu", test_file, "--out", str(HELDOUT_DIR), "--successes"]
    durations["held-out test"] = run_command(
        _rasa(*test), SPLIT_DIR / "test.log", _shown(test, workdir), workdir
    )
    return split, durations


def run_cross_validation(args: argparse.Namespace, workdir: Path) -> float:
    shutil.rmtree(CV_DIR, ignore_errors=True)
    CV_DIR.mkdir(parents=True)
    nlu, config = str(in_tree(args.nlu, workdir)), str(in_tree(args.config, workdir))
    cv = ["test", "nlu", "--nlu", nlu, "--cross-validation", "--folds", str(args.folds)]
    cv += ["--config", config, "--out", str(CV_DIR), "--successes"]
    command = [sys.executable, "-c", SEEDED_RASA, str(args.seed), *cv]
    shown = f"{_shown(cv, workdir)}  [numpy seeded with {args.seed}]"
    return run_command(command, CV_DIR / CV_LOG, shown, workdir)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def _rasa_version() -> str:
    try:
        from importlib.metadata import version

        return version("rasa")
    except Exception:  # pragma: no cover - rasa is installed in the project venv
        return "?"


def _rel(path: Path) -> str:
    return os.path.relpath(path, EVALUATION_MD.parent)


def build_outputs(
    args: argparse.Namespace,
    dataset: Dict[str, Any],
    split: Optional[Dict[str, Any]],
    durations: Dict[str, float],
    cv_failed: bool = False,
    revision: Optional[str] = None,
    run_date: Optional[str] = None,
) -> Tuple[Dict[str, Any], List[MetricRow]]:
    """Reads the reports, draws the charts, writes the JSON and the Markdown section."""
    use_cv = bool(args.folds) and not cv_failed
    h_intent = load_report(HELDOUT_DIR / "intent_report.json")
    h_entities = load_entity_reports(HELDOUT_DIR)
    c_intent = load_report(CV_DIR / "intent_report.json") if use_cv else None
    c_entities = load_entity_reports(CV_DIR) if use_cv else {}
    cv_log_path = CV_DIR / CV_LOG
    cv_log = parse_cv_log(cv_log_path.read_text(encoding="utf-8")) if use_cv and cv_log_path.is_file() else {}
    rows = metric_rows(h_intent, h_entities, c_intent, c_entities, cv_log)
    threshold = fallback_threshold(args.config)
    extractor = main_extractor(c_entities) or main_extractor(h_entities)
    h_ent, c_ent = _entity(h_entities), _entity(c_entities)

    images: Dict[str, str] = {}
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    for key, source, target in (
        (
            "confusion_matrix",
            HELDOUT_DIR / "intent_confusion_matrix.png",
            IMG_DIR / "nlu_confusion_matrix.png",
        ),
        (
            "cv_confusion_matrix",
            CV_DIR / "intent_confusion_matrix.png",
            IMG_DIR / "nlu_cv_confusion_matrix.png",
        ),
    ):
        if source.is_file() and (use_cv or key == "confusion_matrix"):
            shutil.copyfile(source, target)
            images[key] = _rel(target)
    series_names = ("held-out", f"{args.folds}-fold CV (pooled)")
    for key, reports, target_f1, title in (
        ("intent_f1", (h_intent, c_intent), INTENT_TARGET, "F1 per intent"),
        (
            "entity_f1",
            (h_ent, c_ent),
            ENTITY_TARGET,
            f"F1 per entity label ({extractor or EXTRACTOR}, token level)",
        ),
    ):
        path = IMG_DIR / f"nlu_{key}.png"
        series = {name: _f1s(report) for name, report in zip(series_names, reports, strict=True)}
        if any(series.values()):
            plot_f1(series, target_f1, title, path)
            images[key] = _rel(path)

    # Rank the weakest on cross-validation when there is one: it scores every example once.
    if c_intent is not None:
        weak = {
            "source": f"{args.folds}-fold cross-validation, pooled",
            "intents": weakest_table(c_intent, h_intent, ("CV", "held-out"), "intent"),
            "entities": weakest_table(c_ent, h_ent, ("CV", "held-out"), "entity"),
        }
    else:
        weak = {
            "source": "the held-out test set",
            "intents": weakest_table(h_intent, None, ("held-out", "CV"), "intent"),
            "entities": weakest_table(h_ent, None, ("held-out", "CV"), "entity"),
        }

    command = (
        f"python -m scripts.nlu_report --folds {args.folds} --test-fraction {args.test_fraction} "
        f"--seed {args.seed}"
    )
    if Path(args.config).resolve() != CONFIG:
        command += f" --config {args.config}"
    summary: Dict[str, Any] = {
        "date": run_date or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "revision": revision,
        "arguments": {"folds": args.folds, "test_fraction": args.test_fraction, "seed": args.seed},
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "rasa": _rasa_version(),
        },
        "dataset": dataset,
        "split": split,
        "durations_s": {k: round(v, 1) for k, v in durations.items()},
        "extractor": extractor,
        "other_extractors": sorted((set(h_entities) | set(c_entities)) - {extractor}),
        "fallback_threshold": threshold,
        "targets": {"intent_macro_f1": INTENT_TARGET, "entity_f1": ENTITY_TARGET},
        "metrics": [asdict(row) for row in rows],
        "heldout": {
            "intent": asdict(h_intent) if h_intent else None,
            "entities": {name: asdict(report) for name, report in h_entities.items()},
            "confidence": confidence_summary(HELDOUT_DIR, threshold),
        },
        "cv": {
            "folds": cv_log.get("folds") or (args.folds or None),
            "confidence": confidence_summary(CV_DIR, threshold) if use_cv else {},
            "fold_stats": cv_log,
            "intent": asdict(c_intent) if c_intent else None,
            "entities": {name: asdict(report) for name, report in c_entities.items()},
        },
        "images": images,
        "cv_failed": cv_failed,
    }
    JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    JSON_OUT.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    document = EVALUATION_MD.read_text(encoding="utf-8") if EVALUATION_MD.is_file() else ""
    EVALUATION_MD.write_text(
        replace_section(document, render_markdown(summary, rows, weak)), encoding="utf-8"
    )
    return summary, rows


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--folds", type=int, default=5, help="cross-validation folds; 0 skips cross-validation"
    )
    parser.add_argument("--test-fraction", type=float, default=0.2, help="held-out share of each intent")
    parser.add_argument("--seed", type=int, default=42, help="seed of the split and of the CV folds")
    parser.add_argument("--config", type=Path, default=CONFIG, help=argparse.SUPPRESS)
    parser.add_argument("--nlu", type=Path, default=NLU_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse-reports",
        action="store_true",
        help="do not train: re-read reports/nlu_heldout and reports/nlu_cv from an earlier run",
    )
    args = parser.parse_args(argv)
    if args.folds == 1 or args.folds < 0:
        parser.error("--folds must be 0 (no cross-validation) or at least 2")
    if not 0.0 < args.test_fraction < 1.0:
        parser.error("--test-fraction must be between 0 and 1")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    os.environ.update(
        RASA_TELEMETRY_ENABLED="false", SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="2"
    )
    durations: Dict[str, float] = {}
    split: Optional[Dict[str, Any]] = None
    cv_failed = False
    run_date: Optional[str] = None
    if args.reuse_reports:
        # Describe the run that wrote the reports, not the tree as it is now.
        previous = json.loads(JSON_OUT.read_text(encoding="utf-8")) if JSON_OUT.is_file() else {}
        dataset = previous.get("dataset") or dataset_stats(load_nlu_data(args.nlu), args.nlu)
        revision = git_revision()
        if previous:
            split, durations = previous.get("split"), previous.get("durations_s") or {}
            revision = previous.get("revision") or revision
            run_date = previous.get("date")
    else:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="nlu_report_") as tmp:
            revision = git_revision()
            workdir = snapshot_project(Path(tmp))
            nlu = in_tree(args.nlu, workdir)
            data = load_nlu_data(nlu)
            dataset = dataset_stats(data, nlu)
            try:
                split, durations = run_heldout(data, args, workdir, Path(tmp))
            except CommandError as error:
                _report_failure(error)
                return 1
            if args.folds:
                try:
                    durations["cross-validation"] = run_cross_validation(args, workdir)
                except CommandError as error:
                    # Still write the held-out figures, saying that cross-validation failed.
                    _report_failure(error)
                    cv_failed = True
        durations["total"] = time.monotonic() - started
    _, rows = build_outputs(args, dataset, split, durations, cv_failed, revision, run_date)
    print()
    print(metrics_table(rows, args.folds or None))
    print(
        f"\nWrote {os.path.relpath(EVALUATION_MD, ROOT)} (nlu section), {os.path.relpath(JSON_OUT, ROOT)}, "
        "docs/img/nlu_*.png"
    )
    return 1 if cv_failed else 0


def _report_failure(error: CommandError) -> None:
    print(error, file=sys.stderr)
    lines = error.log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines()
    print("\n".join(lines[-40:]), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
