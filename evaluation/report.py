"""Scores the conversations and writes the report.

Figures (each vignette counted once):

- acceptable triage: the final level is one of the vignette's ``acceptable_triage``;
- safe triage: the final level is at least as urgent as ``expected_triage``;
- under-triage: the final level is less urgent than expected (or no level was given);
- emergency recall: of the vignettes expecting ``emergency`` or ``emergency_ambulance``, those
  that ended at ``emergency`` or above; same-turn: of the ``emergency_turn`` vignettes, those
  whose level after the first message was already at least the least urgent acceptable level;
- self-care over-triage: ``self_care`` vignettes sent to ``urgent`` or above;
- top-1 / top-3 cause: ``expected_causes[0]`` first / among the first three ``likely_causes``
  (off-topic vignettes without expected causes are left out);
- median questions: bot turns that asked for a slot.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from evaluation.runner import Outcome
from evaluation.vignettes import EMERGENCY_LEVELS, LEVEL_IDS, Vignette, as_dict, urgency

Result = Tuple[Vignette, Outcome]

NO_LEVEL = "none"


@dataclass
class Metrics:
    """The headline figures; percentages are None when their denominator is zero."""

    n: int
    acceptable_pct: float | None
    safe_pct: float | None
    under_triage: int
    over_triage: int
    emergency_n: int
    emergency_escalated: int
    emergency_recall_pct: float | None
    same_turn_n: int
    same_turn_hits: int
    same_turn_pct: float | None
    self_care_n: int
    self_care_to_urgent: int
    cause_n: int
    top1_pct: float | None
    top3_pct: float | None
    listed_pct: float | None
    median_questions: float | None
    errors: int


def _pct(hits: int, total: int) -> float | None:
    return round(100.0 * hits / total, 1) if total else None


def is_acceptable(v: Vignette, o: Outcome) -> bool:
    """The final level is one a clinician would accept."""
    return o.final_level in v.acceptable_triage


def is_safe(v: Vignette, o: Outcome) -> bool:
    """The final level is not less urgent than the expected one."""
    return urgency(o.final_level) >= urgency(v.expected_triage)


def is_over_triaged(v: Vignette, o: Outcome) -> bool:
    """The final level is more urgent than every acceptable level."""
    return urgency(o.final_level) > max(urgency(level) for level in v.acceptable_triage)


def escalated(o: Outcome) -> bool:
    """The final level is an emergency level."""
    return urgency(o.final_level) >= urgency(EMERGENCY_LEVELS[-1])


def same_turn_hit(v: Vignette, o: Outcome) -> bool:
    """After the first message the level was set, at least the least urgent acceptable one."""
    floor = min(urgency(level) for level in v.acceptable_triage)
    return o.first_turn_level is not None and urgency(o.first_turn_level) >= floor


def top_k(v: Vignette, o: Outcome, k: int) -> bool:
    """The main expected cause is among the first k likely causes."""
    return v.main_cause is not None and v.main_cause in o.likely_causes[:k]


def compute_metrics(results: Sequence[Result]) -> Metrics:
    """All figures for a list of (vignette, outcome) pairs."""
    emergencies = [(v, o) for v, o in results if v.is_emergency]
    same_turn = [(v, o) for v, o in results if v.emergency_turn]
    self_care = [(v, o) for v, o in results if v.expected_triage == "self_care"]
    with_cause = [(v, o) for v, o in results if v.main_cause is not None]
    questions = [o.questions_asked for _, o in results if o.error is None]
    n = len(results)
    return Metrics(
        n=n,
        acceptable_pct=_pct(sum(is_acceptable(v, o) for v, o in results), n),
        safe_pct=_pct(sum(is_safe(v, o) for v, o in results), n),
        under_triage=sum(not is_safe(v, o) for v, o in results),
        over_triage=sum(is_over_triaged(v, o) for v, o in results),
        emergency_n=len(emergencies),
        emergency_escalated=sum(escalated(o) for _, o in emergencies),
        emergency_recall_pct=_pct(sum(escalated(o) for _, o in emergencies), len(emergencies)),
        same_turn_n=len(same_turn),
        same_turn_hits=sum(same_turn_hit(v, o) for v, o in same_turn),
        same_turn_pct=_pct(sum(same_turn_hit(v, o) for v, o in same_turn), len(same_turn)),
        self_care_n=len(self_care),
        self_care_to_urgent=sum(urgency(o.final_level) >= urgency("urgent") for _, o in self_care),
        cause_n=len(with_cause),
        top1_pct=_pct(sum(top_k(v, o, 1) for v, o in with_cause), len(with_cause)),
        top3_pct=_pct(sum(top_k(v, o, 3) for v, o in with_cause), len(with_cause)),
        listed_pct=_pct(sum(top_k(v, o, 5) for v, o in with_cause), len(with_cause)),
        median_questions=statistics.median(questions) if questions else None,
        errors=sum(o.error is not None for _, o in results),
    )


def failure_reasons(v: Vignette, o: Outcome) -> List[str]:
    """Why a vignette failed (an empty list when it passed)."""
    reasons: List[str] = []
    if o.error:
        reasons.append(f"error: {o.error}")
    if not is_acceptable(v, o):
        kind = "under-triage" if not is_safe(v, o) else "not acceptable"
        reasons.append(
            f"{kind}: got {o.final_level or NO_LEVEL}, expected {v.expected_triage} "
            f"(acceptable {', '.join(v.acceptable_triage)})"
        )
    if v.is_emergency and not escalated(o):
        reasons.append("emergency not escalated")
    if v.emergency_turn and not same_turn_hit(v, o):
        reasons.append(f"red flag in the opening but level after turn 1 was {o.first_turn_level or NO_LEVEL}")
    if v.main_cause is not None and not top_k(v, o, 3):
        reasons.append(f"{v.main_cause} not in top 3 ({', '.join(o.likely_causes) or 'no causes'})")
    return reasons


def emergency_missed(results: Sequence[Result]) -> List[str]:
    """Ids of emergency vignettes that were not escalated."""
    return [v.id for v, o in results if v.is_emergency and not escalated(o)]


def _fmt(value: float | None, suffix: str = "%") -> str:
    return "n/a" if value is None else f"{value:g}{suffix}"


# Published figures for online symptom checkers (all presenting complaints).
PUBLISHED_NOTE = (
    "Published figures are for general symptom checkers over vignettes covering all presenting "
    "complaints; ours cover one complaint (numbness or tingling in the legs and feet), written by "
    "the same project that built the assistant, so the comparison is indicative only."
)


def comparison_table(m: Metrics) -> str:
    """Markdown table: our figures beside published ones."""
    ours = f"This assistant (n={m.n})"
    header = (
        f"| Measure | {ours} | Semigran et al., BMJ 2015 (23 checkers) "
        "| Gilbert et al., BMJ Open 2020: Ada | Gilbert et al. 2020: GPs | Hill et al., MJA 2020 |"
    )
    rows = [
        ("Appropriate triage", _fmt(m.acceptable_pct), "57%", "-", "-", "49%"),
        ("Safe triage (not under-triaged)", _fmt(m.safe_pct), "-", "97.0%", "97.0%", "-"),
        (
            f"Emergencies escalated ({m.emergency_escalated}/{m.emergency_n})",
            _fmt(m.emergency_recall_pct),
            "80%",
            "-",
            "-",
            "-",
        ),
        (
            f"Red flag in opening caught on turn 1 ({m.same_turn_hits}/{m.same_turn_n})",
            _fmt(m.same_turn_pct),
            "-",
            "-",
            "-",
            "-",
        ),
        ("Correct cause first", _fmt(m.top1_pct), "34%", "-", "-", "-"),
        ("Correct cause in top 3", _fmt(m.top3_pct), "-", "70.5%", "82.1%", "-"),
        ("Correct cause listed (ours: up to 5; Semigran: top 20)", _fmt(m.listed_pct), "58%", "-", "-", "-"),
        ("Under-triaged vignettes", str(m.under_triage), "-", "-", "-", "-"),
        ("Over-triaged vignettes (above every acceptable level)", str(m.over_triage), "-", "-", "-", "-"),
        (
            f"Self-care cases sent to urgent or above ({m.self_care_n} self-care)",
            str(m.self_care_to_urgent),
            "-",
            "-",
            "-",
            "-",
        ),
        ("Median questions asked", _fmt(m.median_questions, ""), "-", "-", "-", "-"),
    ]
    lines = [header, "|" + "---|" * 6]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + f"\n\n{PUBLISHED_NOTE}\n"


def confusion(results: Sequence[Result]) -> Dict[str, Dict[str, int]]:
    """Counts of expected level (rows) by final level (columns, plus ``none``)."""
    columns = list(LEVEL_IDS) + [NO_LEVEL]
    matrix = {row: {col: 0 for col in columns} for row in LEVEL_IDS}
    for v, o in results:
        col = o.final_level if o.final_level in LEVEL_IDS else NO_LEVEL
        matrix[v.expected_triage][col] += 1
    return matrix


def confusion_markdown(matrix: Dict[str, Dict[str, int]]) -> str:
    """The confusion matrix as a Markdown table."""
    columns = list(LEVEL_IDS) + [NO_LEVEL]
    lines = ["| expected \\ given | " + " | ".join(columns) + " |", "|" + "---|" * (len(columns) + 1)]
    for row in LEVEL_IDS:
        lines.append(f"| {row} | " + " | ".join(str(matrix[row][c]) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def plot_confusion(matrix: Dict[str, Dict[str, int]], path: Path) -> Path:
    """Save the confusion matrix as a PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = list(LEVEL_IDS) + [NO_LEVEL]
    data = [[matrix[row][col] for col in columns] for row in LEVEL_IDS]
    fig, ax = plt.subplots(figsize=(8, 5.5))
    image = ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(columns)), labels=columns, rotation=30, ha="right")
    ax.set_yticks(range(len(LEVEL_IDS)), labels=list(LEVEL_IDS))
    ax.set_xlabel("level given by the assistant")
    ax.set_ylabel("expected level")
    ax.set_title("Triage: expected vs given (above the diagonal: under-triage)")
    peak = max((max(r) for r in data), default=0)
    for i, row in enumerate(data):
        for j, count in enumerate(row):
            colour = "white" if peak and count > peak / 2 else "black"
            ax.text(j, i, str(count), ha="center", va="center", color=colour)
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def transcript_text(o: Outcome) -> str:
    """A readable transcript with the tracker state after each patient turn."""
    lines = []
    for turn in o.transcript:
        if turn.speaker == "patient":
            slot, level = turn.requested_slot or "-", turn.triage_level or "-"
            state = f"  [requested_slot={slot}, triage_level={level}]"
            lines.append(f"patient: {turn.text}{state}")
        else:
            buttons = f"  (buttons: {' | '.join(turn.buttons)})" if turn.buttons else ""
            lines.append(f"bot: {turn.text}{buttons}")
    return "\n".join(lines)


def failures_markdown(results: Sequence[Result], with_transcripts: bool = True) -> str:
    """Every failing vignette with its reasons and, optionally, its transcript."""
    parts = []
    for v, o in results:
        reasons = failure_reasons(v, o)
        if not reasons:
            continue
        block = [f"#### {v.id}", "", *[f"- {r}" for r in reasons], ""]
        if with_transcripts:
            block += ["<details><summary>transcript</summary>", "", "```text", transcript_text(o), "```", ""]
            block += ["</details>", ""]
        parts.append("\n".join(block))
    if not parts:
        return "No failing vignettes.\n"
    return f"{len(parts)} failing vignette(s):\n\n" + "\n".join(parts)


def machine() -> Dict[str, Any]:
    """Where the evaluation ran."""
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }


def now_iso() -> str:
    """The current UTC time, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def docs_section(results: Sequence[Result], m: Metrics, image_rel: str, when: str) -> str:
    """The Markdown that goes between the evaluation markers of docs/evaluation.md."""
    host = machine()
    return "\n".join(
        [
            f"_Run {when} on {host['platform']}, {host['cpu_count']} CPUs, Python {host['python']}; "
            f"{m.n} vignettes, {m.errors} connection error(s)._",
            "",
            comparison_table(m),
            "### Triage confusion matrix",
            "",
            f"![triage confusion matrix]({image_rel})",
            "",
            confusion_markdown(confusion(results)),
            "### Failing vignettes",
            "",
            failures_markdown(results),
        ]
    )


def markers(name: str = "eval") -> Tuple[str, str]:
    """The start and end comments around the generated section called ``name``."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


START_MARKER, END_MARKER = markers()


def replace_section(text: str, section: str, name: str = "eval", title: str = "Results") -> str:
    """``text`` with the content between the markers replaced (markers appended if absent)."""
    start_marker, end_marker = markers(name)
    block = f"{start_marker}\n{section.rstrip()}\n{end_marker}"
    start, end = text.find(start_marker), text.find(end_marker)
    if start != -1 and end > start:
        return text[:start] + block + text[end + len(end_marker) :]
    return text.rstrip() + ("\n\n" if text.strip() else "") + f"## {title}\n\n" + block + "\n"


DOCS_HEADER = (
    "# Evaluation\n\n"
    "Simulated patients (`tests/vignettes/`) talk to the running assistant over the REST channel; "
    "`python -m evaluation` (or `make eval`) scores triage and likely causes. The section below is "
    "generated; edit outside the markers.\n"
)


def write_docs(path: Path, section: str, name: str = "eval", title: str = "Results") -> Path:
    """Write the section into ``path`` between the markers, keeping everything else."""
    text = path.read_text(encoding="utf-8") if path.exists() else DOCS_HEADER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replace_section(text, section, name, title), encoding="utf-8")
    return path


def results_json(results: Sequence[Result], m: Metrics, when: str, url: str) -> Dict[str, Any]:
    """Everything about the run as plain data."""
    return {
        "date": when,
        "machine": machine(),
        "url": url,
        "metrics": asdict(m),
        "confusion": confusion(results),
        "results": [
            {
                "vignette": as_dict(v),
                "outcome": o.to_dict(),
                "acceptable": is_acceptable(v, o),
                "safe": is_safe(v, o),
                "failure_reasons": failure_reasons(v, o),
            }
            for v, o in results
        ],
    }


def write_json(path: Path, data: Dict[str, Any]) -> Path:
    """Write JSON results (creating the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
