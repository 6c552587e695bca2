"""Unit tests of the benchmark harness (no Rasa training or servers; a few seconds in all)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import sys
import textwrap
import time
from pathlib import Path

import aiohttp
import numpy as np
import pytest
from aiohttp import web

from bench.baseline import (
    PROJECT_CONVERSATIONS,
    STOCK_CONVERSATIONS,
    ProjectLayout,
    conversations_for,
    validate_script,
)
from bench.load import REST_PATH, Conversation, LoadResult, run_load, wait_first_answer
from bench.report import (
    DOC_END,
    DOC_START,
    AssistantResult,
    MetricRow,
    markdown_table,
    metric_rows,
    render_report,
    update_doc,
)
from bench.servers import ManagedProcess, MemorySampler, ProcessError, ProcessSet, read_proc_stat
from bench.stats import format_bytes, format_ratio, format_value, percentile, ratio, summarize

# --- statistics -----------------------------------------------------------------------


def test_percentile_matches_numpy() -> None:
    rng = random.Random(7)
    for size in (1, 2, 3, 10, 101, 200):
        values = [rng.expovariate(10.0) for _ in range(size)]
        for pct in (0, 1, 25, 50, 90, 95, 99, 100):
            assert percentile(values, pct) == pytest.approx(float(np.percentile(values, pct)))


def test_percentile_small_cases_and_errors() -> None:
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0  # unsorted input
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize() -> None:
    assert summarize([]) == {"n": 0}
    summary = summarize([0.1, 0.2, 0.3, 0.4])
    assert summary["n"] == 4
    assert summary["mean"] == pytest.approx(0.25)
    assert summary["p50"] == pytest.approx(0.25)
    assert summary["min"] == 0.1 and summary["max"] == 0.4


def test_ratio_and_formatting() -> None:
    assert ratio(2.0, 4.0) == 0.5
    assert ratio(None, 4.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None
    assert format_ratio(1.0) == "1.00×"
    assert format_ratio(0.987) == "0.99×"
    assert format_ratio(12.34) == "12.3×"
    assert format_ratio(150.2) == "150×"
    assert format_ratio(None) == "n/a"
    assert format_ratio(float("nan")) == "n/a"


def test_format_value_units() -> None:
    assert format_value(None, "ms") == "—"
    assert format_value(12.345, "ms") == "12.3 ms"
    assert format_value(1.5, "s") == "1.50 s"
    assert format_value(3.0, "turns/s") == "3.00 turns/s"
    assert format_value(3, "count") == "3"
    assert format_bytes(512) == "512 B"
    assert format_bytes(2048) == "2.0 KiB"
    assert format_bytes(25 * 1024 * 1024) == "25.0 MiB"
    assert format_bytes(3 * 1024**3) == "3.0 GiB"


# --- report -----------------------------------------------------------------------------


def _result(label: str, scale: float) -> AssistantResult:
    loads = {
        1: LoadResult(concurrency=1, latencies=[scale * x for x in (0.01, 0.02, 0.03, 0.04)], duration=1.0),
        10: LoadResult(concurrency=10, latencies=[scale * 0.1] * 10, duration=2.0, errors=1),
    }
    return AssistantResult(
        label=label,
        project_dir="/x",
        train_seconds=60.0 * scale,
        model_bytes=int(1_000_000 * scale),
        first_answer_seconds=10.0 * scale,
        action_ready_seconds=1.0,
        rasa_peak_rss=int(500e6 * scale),
        actions_peak_rss=int(100e6),
        loads=loads,
    )


def test_metric_rows_values_and_ratios() -> None:
    rows = {row.key: row for row in metric_rows(_result("ours", 2.0), _result("baseline", 1.0), 10)}
    assert rows["latency_c1_p50_ms"].ours == pytest.approx(50.0)
    assert rows["latency_c1_p50_ms"].baseline == pytest.approx(25.0)
    assert rows["latency_c1_p50_ms"].ratio == pytest.approx(2.0)
    assert rows["latency_c10_p95_ms"].ratio == pytest.approx(2.0)
    assert rows["throughput_c10_tps"].ours == pytest.approx(5.0)  # 10 ok turns in 2 s
    assert rows["train_s"].ratio == pytest.approx(2.0)
    assert rows["actions_peak_rss_bytes"].ratio == pytest.approx(1.0)
    assert rows["failed_turns"].ours == 1
    # Same figures on both sides give 1.0 everywhere.
    same = metric_rows(_result("ours", 1.0), _result("baseline", 1.0), 10)
    assert all(row.ratio == pytest.approx(1.0) for row in same if row.ratio is not None)


def test_metric_rows_without_baseline_and_single_concurrency() -> None:
    rows = metric_rows(_result("ours", 1.0), None, 1)
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys))
    assert "latency_c10_p50_ms" not in keys
    assert all(row.baseline is None and row.ratio is None for row in rows)


def test_markdown_table() -> None:
    rows = [
        MetricRow("a", "turn latency p50", "ms", 20.0, 10.0),
        MetricRow("b", "model size", "bytes", 2048.0, None),
    ]
    lines = markdown_table(rows).splitlines()
    assert lines[0] == "| metric | ours | baseline (`rasa init`) | ours / baseline |"
    assert lines[1] == "|---|---:|---:|---:|"
    assert lines[2] == "| turn latency p50 | 20.0 ms | 10.0 ms | 2.00× |"
    assert lines[3] == "| model size | 2.0 KiB | — | n/a |"


def test_render_report_has_date_machine_and_notes() -> None:
    info = {
        "platform": "Linux-x",
        "python": "3.10.0",
        "cpu_count": 2,
        "memory_bytes": 8 * 1024**3,
        "rasa": "3.6.21",
    }
    when = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    text = render_report(metric_rows(_result("ours", 1.0), None, 10), info, when, {"turns": 5}, ["a note"])
    assert "2026-01-02 03:04 UTC" in text
    assert "Linux-x" in text and "2 CPUs" in text and "8.0 GiB RAM" in text
    assert "| metric | ours |" in text
    assert text.rstrip().endswith("- a note")


def test_update_doc_creates_replaces_and_keeps_other_content(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "evaluation.md"
    update_doc(doc, "first")
    text = doc.read_text()
    assert text.startswith("# Evaluation") and f"{DOC_START}\nfirst\n{DOC_END}" in text

    doc.write_text(f"# Evaluation\n\nintro\n\n{DOC_START}\nold\n{DOC_END}\n\n## Later section\n\nkept\n")
    update_doc(doc, "new table")
    update_doc(doc, "newer table")
    text = doc.read_text()
    assert "old" not in text and "new table" not in text
    assert (
        text == f"# Evaluation\n\nintro\n\n{DOC_START}\nnewer table\n{DOC_END}\n\n## Later section\n\nkept\n"
    )

    other = tmp_path / "other.md"
    other.write_text("# Other\n\nbody\n")
    update_doc(other, "block")
    text = other.read_text()
    assert text.startswith("# Other\n\nbody\n") and text.count(DOC_START) == 1


def test_assistant_result_json_round_trips() -> None:
    payload = json.loads(json.dumps(_result("ours", 1.0).to_dict()))
    assert payload["loads"]["10"]["errors"] == 1
    assert payload["loads"]["1"]["latency_s"]["n"] == 4


# --- scripts and layouts ----------------------------------------------------------------


def test_conversation_cycles_with_new_sender() -> None:
    conv = Conversation([["a", "b"], ["c"]], prefix="t")
    first_sender, text = conv.next_message()
    assert text == "a"
    assert conv.next_message() == (first_sender, "b")
    sender, text = conv.next_message()
    assert text == "c" and sender != first_sender
    sender2, text = conv.next_message()
    assert text == "a" and sender2 != sender
    with pytest.raises(ValueError):
        Conversation([], prefix="t")


def test_validate_script() -> None:
    assert validate_script([["hi", "bye"]]) == [["hi", "bye"]]
    bad_scripts: list[object] = [[], [[]], [["hi", ""]], "hi", [["hi", 3]]]
    for bad in bad_scripts:
        with pytest.raises(ValueError):
            validate_script(bad)


def test_layout_detection_and_scripts(tmp_path: Path) -> None:
    stock = tmp_path / "stock"
    (stock / "data").mkdir(parents=True)
    (stock / "config.yml").write_text("recipe: default.v1\n")
    (stock / "domain.yml").write_text("intents:\n  - greet\n  - mood_great\n")
    layout = ProjectLayout.detect(stock)
    assert layout.domain == "domain.yml" and layout.is_stock()
    assert conversations_for(layout) == [list(c) for c in STOCK_CONVERSATIONS]

    ours = tmp_path / "ours"
    (ours / "data").mkdir(parents=True)
    (ours / "domain").mkdir()
    (ours / "config.yml").write_text("recipe: default.v1\n")
    (ours / "domain" / "core.yml").write_text("intents:\n  - describe_symptoms\n")
    layout = ProjectLayout.detect(ours)
    assert layout.domain == "domain" and not layout.is_stock()
    assert conversations_for(layout) == [list(c) for c in PROJECT_CONVERSATIONS]
    script = tmp_path / "script.json"
    script.write_text(json.dumps([["hello", "bye"]]))
    assert conversations_for(layout, script) == [["hello", "bye"]]

    with pytest.raises(FileNotFoundError):
        ProjectLayout.detect(tmp_path / "missing")


# --- load generation against a tiny local REST server ------------------------------------


async def _with_fake_rasa(fail_on: str, coro_factory):  # type: ignore[no-untyped-def]
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        if body["message"] == fail_on:
            return web.Response(status=500, text="boom")
        await asyncio.sleep(0.002)
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post(REST_PATH, webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        return await coro_factory(f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


def test_run_load_counts_turns_errors_and_throughput() -> None:
    scripts = [["hi", "FAIL", "bye"]]
    result = asyncio.run(
        _with_fake_rasa("FAIL", lambda url: run_load(url, scripts, concurrency=1, turns=30, warmup=1))
    )
    assert result.turns == 30
    assert result.errors == 10 and len(result.latencies) == 20  # the warm-up "hi" is not counted
    assert result.throughput is not None and result.throughput > 0
    assert result.error_samples and "500" in result.error_samples[0]
    assert all(latency > 0 for latency in result.latencies)

    concurrent = asyncio.run(
        _with_fake_rasa("FAIL", lambda url: run_load(url, scripts, concurrency=4, turns=25, warmup=4))
    )
    assert concurrent.turns == 25 and concurrent.concurrency == 4
    assert concurrent.to_dict()["latency_s"]["n"] == len(concurrent.latencies)


def test_wait_first_answer_and_timeout() -> None:
    started = time.perf_counter()
    elapsed = asyncio.run(
        _with_fake_rasa("", lambda url: wait_first_answer(url, "hi", started, timeout=10, alive=lambda: True))
    )
    assert 0 < elapsed < 10
    with pytest.raises(TimeoutError):
        asyncio.run(wait_first_answer("http://127.0.0.1:9", "hi", time.perf_counter(), 0.5, lambda: True))
    with pytest.raises(RuntimeError):
        asyncio.run(wait_first_answer("http://127.0.0.1:9", "hi", time.perf_counter(), 5, lambda: False))


def test_aiohttp_available() -> None:
    assert aiohttp.__version__


# --- process cleanup --------------------------------------------------------------------

PARENT_WITH_CHILD = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    if sys.argv[2] == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # The child ignores SIGTERM and reports its pid only once it does.
    child = subprocess.Popen([sys.executable, "-c",
        "import os, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)", sys.argv[1]])
    data = bytearray(20 * 1024 * 1024)  # something for the memory sampler to see
    time.sleep(120)
    """
)


def _gone(pid: int) -> bool:
    info = read_proc_stat(pid)
    return info is None or info.state == "Z"


def _start_dummy(tmp_path: Path, mode: str, procs: ProcessSet | None = None) -> tuple[ManagedProcess, int]:
    """Start a dummy parent (with a SIGTERM-ignoring child); return it and the child's pid."""
    pid_file = tmp_path / f"child-{mode}.pid"
    script = tmp_path / "dummy.py"
    script.write_text(PARENT_WITH_CHILD)
    proc = ManagedProcess(
        f"dummy {mode}",
        [sys.executable, str(script), str(pid_file), mode],
        cwd=tmp_path,
        log_path=tmp_path / f"{mode}.log",
    )
    if procs is None:
        proc.start()
    else:
        procs.start(proc)
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc, int(pid_file.read_text())


def test_stop_ends_whole_process_group(tmp_path: Path) -> None:
    proc, child = _start_dummy(tmp_path, "normal")
    assert proc.running() and not _gone(child)
    assert set(proc.pids()) >= {proc.pid, child}
    start = time.monotonic()
    proc.stop(grace=1.0)  # the child ignores SIGTERM, so this needs the SIGKILL step
    assert 0.9 < time.monotonic() - start < 8
    assert not proc.running() and _gone(proc.pid) and _gone(child)
    assert proc.stop() == proc.popen.returncode  # type: ignore[union-attr]  # stopping twice is harmless


def test_stop_kills_process_ignoring_sigterm(tmp_path: Path) -> None:
    proc, child = _start_dummy(tmp_path, "ignore-term")
    start = time.monotonic()
    code = proc.stop(grace=0.5)
    assert time.monotonic() - start < 5
    assert code == -9
    assert _gone(child)


def test_process_set_stops_everything_on_error(tmp_path: Path) -> None:
    started: list[tuple[ManagedProcess, int]] = []
    with pytest.raises(KeyError), ProcessSet(grace=0.5) as procs:
        for mode in ("normal", "ignore-term"):
            started.append(_start_dummy(tmp_path, mode, procs))
        assert [p.name for p in procs.processes] == ["dummy normal", "dummy ignore-term"]
        raise KeyError("boom")
    for proc, child in started:
        assert not proc.running() and _gone(child)


def test_wait_timeout_stops_process(tmp_path: Path) -> None:
    proc = ManagedProcess(
        "sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, tmp_path / "s.log"
    )
    proc.start()
    with pytest.raises(ProcessError):
        proc.wait(timeout=0.3)
    assert not proc.running()
    quick = ManagedProcess("quick", [sys.executable, "-c", "print('hi')"], tmp_path, tmp_path / "q.log")
    assert quick.start().wait(timeout=30) == 0
    assert "hi" in quick.log_tail()
    quick.stop()


def test_memory_sampler_sees_process_tree(tmp_path: Path) -> None:
    proc, _child = _start_dummy(tmp_path, "normal")
    sampler = MemorySampler(interval=0.05)
    try:
        sampler.watch("dummy", proc)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (sampler.peak_bytes("dummy") or 0) < 20 * 1024 * 1024:
            sampler.sample()
            time.sleep(0.05)
        peak = sampler.peak_bytes("dummy")
        assert peak is not None and peak >= 20 * 1024 * 1024
        assert sampler.process_count("dummy") >= 2
    finally:
        sampler.stop()
        proc.stop(grace=1.0)
    assert sampler.peak_bytes("missing") is None


def test_environment_has_no_stray_bench_processes() -> None:
    # Sanity: the tests above leave no dummy processes behind.
    leftovers = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if b"dummy.py" in cmdline and b"pytest" not in cmdline:
                info = read_proc_stat(int(entry))
                if info is not None and info.state != "Z":
                    leftovers.append(entry)
    assert leftovers == []


# --- orchestration helpers ----------------------------------------------------------------


def test_split_turns() -> None:
    from bench.cli import split_turns

    assert split_turns(200, 4) == [50, 50, 50, 50]
    assert split_turns(10, 4) == [3, 3, 2, 2]
    assert split_turns(2, 4) == [1, 1]
    assert sum(split_turns(201, 7)) == 201


def test_load_result_merge() -> None:
    a = LoadResult(concurrency=2, latencies=[0.1, 0.2], errors=1, duration=1.0, error_samples=["x"])
    b = LoadResult(concurrency=2, latencies=[0.3], empty=1, duration=0.5)
    merged = a.merge(b)
    assert merged.latencies == [0.1, 0.2, 0.3] and merged.errors == 1 and merged.empty == 1
    assert merged.throughput == pytest.approx(3 / 1.5)
    with pytest.raises(ValueError):
        a.merge(LoadResult(concurrency=1))


def test_guarded_records_failure_and_skips_later_steps(tmp_path: Path) -> None:
    from bench.cli import BenchError, Deployment, guarded

    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("")
    (tmp_path / "domain.yml").write_text("")
    dep = Deployment(
        AssistantResult("ours", str(tmp_path)), ProjectLayout.detect(tmp_path), [["hi"]], tmp_path
    )
    calls: list[str] = []

    def fail(_dep: Deployment) -> None:
        calls.append("fail")
        raise BenchError("no model")

    guarded(dep, fail)
    guarded(dep, lambda _dep: calls.append("later"))
    assert calls == ["fail"] and not dep.ok
    assert dep.result.error == "BenchError: no model"


def test_round_p50_range() -> None:
    a = LoadResult(concurrency=1, latencies=[0.1], rounds=[{"turns": 1.0, "duration_s": 0.1, "p50_s": 0.1}])
    b = LoadResult(concurrency=1, latencies=[0.3], rounds=[{"turns": 1.0, "duration_s": 0.3, "p50_s": 0.3}])
    assert a.merge(b).round_p50_range_ms() == pytest.approx((100.0, 300.0))
    assert LoadResult(concurrency=1).round_p50_range_ms() is None
