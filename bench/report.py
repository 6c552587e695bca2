"""Results, the Markdown table, ``reports/bench.json``, the latency plot and the doc block."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.load import LoadResult
from bench.stats import format_ratio, format_value, percentile, ratio

DOC_START = "<!-- bench:start -->"
DOC_END = "<!-- bench:end -->"


@dataclass
class AssistantResult:
    """Every figure measured for one assistant (``None`` = not measured)."""

    label: str
    project_dir: str
    train_seconds: float | None = None
    model_bytes: int | None = None
    first_answer_seconds: float | None = None
    action_ready_seconds: float | None = None
    rasa_peak_rss: int | None = None
    actions_peak_rss: int | None = None
    loads: dict[int, LoadResult] = field(default_factory=dict)
    error: str | None = None

    def latency(self, concurrency: int, pct: str) -> float | None:
        """Latency percentile (``"p50"``, ``"p95"``) at ``concurrency`` in milliseconds."""
        load = self.loads.get(concurrency)
        if load is None or not load.latencies:
            return None
        return percentile(load.latencies, float(pct.lstrip("p"))) * 1000.0

    def throughput(self, concurrency: int) -> float | None:
        """Turns per second at ``concurrency``."""
        load = self.loads.get(concurrency)
        return None if load is None else load.throughput

    def failed_turns(self) -> int:
        """Failed turns (HTTP error, timeout) over all measured settings."""
        return sum(load.errors for load in self.loads.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "label": self.label,
            "project_dir": self.project_dir,
            "train_seconds": self.train_seconds,
            "model_bytes": self.model_bytes,
            "first_answer_seconds": self.first_answer_seconds,
            "action_server_ready_seconds": self.action_ready_seconds,
            "rasa_server_peak_rss_bytes": self.rasa_peak_rss,
            "action_server_peak_rss_bytes": self.actions_peak_rss,
            "loads": {str(c): load.to_dict() for c, load in sorted(self.loads.items())},
            "error": self.error,
        }


@dataclass(frozen=True)
class MetricRow:
    """One line of the table: a figure for both assistants and their ratio."""

    key: str
    label: str
    unit: str
    ours: float | None
    baseline: float | None

    @property
    def ratio(self) -> float | None:
        """``ours / baseline``."""
        return ratio(self.ours, self.baseline)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "ratio": self.ratio,
        }


def metric_rows(ours: AssistantResult, baseline: AssistantResult | None, concurrency: int) -> list[MetricRow]:
    """Build the table's rows (latency in ms, sizes in bytes, times in s)."""

    def row(key: str, label: str, unit: str, getter: Any) -> MetricRow:
        return MetricRow(key, label, unit, getter(ours), None if baseline is None else getter(baseline))

    rows = [
        row("latency_c1_p50_ms", "turn latency p50, 1 conversation", "ms", lambda r: r.latency(1, "p50")),
        row("latency_c1_p95_ms", "turn latency p95, 1 conversation", "ms", lambda r: r.latency(1, "p95")),
    ]
    if concurrency != 1:
        rows += [
            row(
                f"latency_c{concurrency}_p50_ms",
                f"turn latency p50, {concurrency} conversations",
                "ms",
                lambda r: r.latency(concurrency, "p50"),
            ),
            row(
                f"latency_c{concurrency}_p95_ms",
                f"turn latency p95, {concurrency} conversations",
                "ms",
                lambda r: r.latency(concurrency, "p95"),
            ),
        ]
    rows += [
        row(
            f"throughput_c{concurrency}_tps",
            f"throughput, {concurrency} conversations",
            "turns/s",
            lambda r: r.throughput(concurrency),
        ),
        row("first_answer_s", "server start to first answer", "s", lambda r: r.first_answer_seconds),
        row("action_ready_s", "action server start to /health", "s", lambda r: r.action_ready_seconds),
        row("train_s", "`rasa train` wall time", "s", lambda r: r.train_seconds),
        row("model_bytes", "model size (.tar.gz)", "bytes", lambda r: r.model_bytes),
        row("rasa_peak_rss_bytes", "peak memory, Rasa server", "bytes", lambda r: r.rasa_peak_rss),
        row("actions_peak_rss_bytes", "peak memory, action server", "bytes", lambda r: r.actions_peak_rss),
        row("failed_turns", "failed turns (all settings)", "count", lambda r: r.failed_turns()),
    ]
    return rows


def machine_info() -> dict[str, Any]:
    """Platform, Python and Rasa versions, CPU count and model, total memory."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_bytes": _total_memory(),
        "load_average": _load_average(),
    }
    for package in ("rasa", "rasa-sdk"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    return info


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _total_memory() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def machine_line(info: dict[str, Any]) -> str:
    """One-line description of the machine for the report header."""
    memory = info.get("memory_bytes")
    mem = format_value(memory, "bytes") if memory else "unknown memory"
    cpu = f"{info.get('cpu_count')} CPUs"
    if info.get("cpu_model"):
        cpu += f" ({info['cpu_model']})"
    return (
        f"{info.get('platform')}, Python {info.get('python')}, Rasa {info.get('rasa')}, "
        f"rasa-sdk {info.get('rasa-sdk')}, {cpu}, {mem} RAM"
    )


def markdown_table(rows: Sequence[MetricRow], baseline_name: str = "baseline (`rasa init`)") -> str:
    """Markdown table: metric | ours | baseline | ours / baseline."""
    lines = [
        f"| metric | ours | {baseline_name} | ours / baseline |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.label} | {format_value(row.ours, row.unit)} | "
            f"{format_value(row.baseline, row.unit)} | {format_ratio(row.ratio)} |"
        )
    return "\n".join(lines)


def render_report(
    rows: Sequence[MetricRow],
    info: dict[str, Any],
    when: dt.datetime,
    settings: dict[str, Any],
    notes: Sequence[str] = (),
) -> str:
    """The full Markdown report: date, machine, settings, table and notes."""
    lines = [
        f"Run {when.strftime('%Y-%m-%d %H:%M %Z').strip()} on {machine_line(info)}.",
        "",
        "Settings: " + ", ".join(f"{k} {v}" for k, v in settings.items()) + ".",
        "",
        markdown_table(rows),
    ]
    if notes:
        lines.append("")
        lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines) + "\n"


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` as indented JSON, creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n")


def update_doc(path: Path, block: str, title: str = "# Evaluation") -> None:
    """Replace the text between the bench markers in ``path`` (other content is kept).

    Creates the file (with ``title``) if missing, and appends a marked section if the
    markers are absent.
    """
    body = f"{DOC_START}\n{block.rstrip()}\n{DOC_END}"
    if path.exists():
        text = path.read_text()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = f"{title}\n"
    pattern = re.compile(re.escape(DOC_START) + r".*?" + re.escape(DOC_END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: body, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n## Speed and memory (`make bench`)\n\n" + body + "\n"
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text)


def plot_latency(path: Path, results: Sequence[AssistantResult], concurrencies: Sequence[int]) -> None:
    """Plot the latency distribution (empirical CDF) per concurrency and assistant."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(concurrencies), figsize=(6 * len(concurrencies), 4), squeeze=False)
    for ax, concurrency in zip(axes[0], concurrencies, strict=True):
        for result in results:
            load = result.loads.get(concurrency)
            if load is None or not load.latencies:
                continue
            xs = sorted(v * 1000.0 for v in load.latencies)
            ys = [(i + 1) / len(xs) for i in range(len(xs))]
            ax.step(xs, ys, where="post", label=f"{result.label} (n={len(xs)})")
        ax.set_title(f"{concurrency} concurrent conversation{'s' if concurrency != 1 else ''}")
        ax.set_xlabel("full-turn latency (ms, log scale)")
        ax.set_ylabel("fraction of turns ≤ x")
        ax.set_xscale("log")
        ax.axhline(0.5, color="grey", linewidth=0.5, linestyle=":")
        ax.axhline(0.95, color="grey", linewidth=0.5, linestyle=":")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(loc="lower right")
    fig.suptitle("REST full-turn latency (action server in the loop)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
