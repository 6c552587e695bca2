"""``python -m bench``: train, serve and load both assistants, then report.

The run, for this project's assistant ("ours") and the stock ``rasa init`` one (made
fresh in a temporary directory; "baseline"):

1. trains each with ``rasa train`` into its own models directory and an empty training
   cache (wall time measured, output to a log file);
2. per assistant, starts ``rasa run actions`` (waits for ``/health``), then
   ``rasa run --enable-api`` with a temporary ``endpoints.yml`` pointing at that action
   server, and times process start to the first REST answer;
3. plays scripted conversations over the REST channel at 1 and at ``--concurrency``
   concurrent conversations, in rounds that alternate between the two assistants so
   both meet the same background load (warm-up turns excluded), while a sampler records
   each server's process-tree memory;
4. stops every process it started (process groups, bounded waits), also on error,
   ``SIGTERM`` or Ctrl-C.

It prints a Markdown table (ours, baseline, ours / baseline) and writes
``reports/bench.json``, ``docs/img/latency.png`` and the block between the bench markers
of ``docs/evaluation.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from bench.baseline import ProjectLayout, conversations_for, create_stock_project
from bench.load import run_load, wait_first_answer, wait_http_ok
from bench.report import (
    AssistantResult,
    machine_info,
    metric_rows,
    plot_latency,
    render_report,
    update_doc,
    write_json,
)
from bench.servers import ManagedProcess, MemorySampler, ProcessError, ProcessSet, free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SHUTDOWN_GRACE = 20.0  # seconds from SIGTERM to SIGKILL; a loaded Rasa server needs ~10 s


class BenchError(RuntimeError):
    """A step of the benchmark failed (training, start-up, load)."""


@dataclass(frozen=True)
class Options:
    """Command-line options."""

    project_dir: Path | None
    turns: int
    warmup: int
    concurrency: int
    rounds: int
    skip_baseline: bool
    baseline_from: str
    script: Path | None
    rasa: str
    python: str
    out_json: Path
    plot: Path
    doc: Path | None
    workdir: Path | None
    keep_workdir: bool
    train_timeout: float
    start_timeout: float
    request_timeout: float
    phase_timeout: float


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Parse the command line."""
    venv_bin = Path(sys.executable).parent
    default_rasa = venv_bin / "rasa"
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Speed and memory of this project's assistant against the stock `rasa init` one.",
    )
    parser.add_argument("--turns", type=int, default=200, help="measured turns per setting (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured warm-up turns per setting")
    parser.add_argument("--concurrency", type=int, default=10, help="concurrent conversations (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved rounds the turns of a setting are split into"
    )
    parser.add_argument("--skip-baseline", action="store_true", help="benchmark only this project")
    parser.add_argument(
        "--project-dir", type=Path, default=REPO_ROOT, help="assistant to benchmark (default: repo root)"
    )
    parser.add_argument(
        "--baseline-from",
        choices=("template", "cli"),
        default="template",
        help="make the stock assistant by copying rasa's init template (default) or running `rasa init`",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="benchmark a second fresh stock assistant as 'ours' (ratios should be ~1.0); "
        "writes reports/bench-selfcheck.json and reports/latency-selfcheck.png, leaves the docs alone",
    )
    parser.add_argument("--script", type=Path, help="JSON/YAML conversations for --project-dir")
    parser.add_argument(
        "--rasa",
        default=str(default_rasa) if default_rasa.exists() else (shutil.which("rasa") or "rasa"),
        help="rasa executable",
    )
    parser.add_argument("--out-json", type=Path, help="default reports/bench.json")
    parser.add_argument("--plot", type=Path, help="default docs/img/latency.png")
    parser.add_argument("--doc", type=Path, default=REPO_ROOT / "docs" / "evaluation.md")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/evaluation.md")
    parser.add_argument("--workdir", type=Path, help="where models, logs and the stock project go")
    parser.add_argument("--keep-workdir", action="store_true", help="keep models and logs afterwards")
    parser.add_argument("--train-timeout", type=float, default=1800.0, help="seconds per `rasa train`")
    parser.add_argument("--start-timeout", type=float, default=300.0, help="seconds for a server to answer")
    parser.add_argument("--request-timeout", type=float, default=60.0, help="seconds per turn")
    parser.add_argument("--phase-timeout", type=float, default=900.0, help="seconds per load setting")
    args = parser.parse_args(argv)
    for name in ("turns", "concurrency", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    if args.self_check and args.skip_baseline:
        parser.error("--self-check needs the baseline")
    reports = REPO_ROOT / "reports"
    if args.self_check:
        out_json = args.out_json or reports / "bench-selfcheck.json"
        plot = args.plot or reports / "latency-selfcheck.png"
    else:
        out_json = args.out_json or reports / "bench.json"
        plot = args.plot or REPO_ROOT / "docs" / "img" / "latency.png"
    return Options(
        project_dir=None if args.self_check else args.project_dir.resolve(),
        turns=args.turns,
        warmup=args.warmup,
        concurrency=args.concurrency,
        rounds=args.rounds,
        skip_baseline=args.skip_baseline,
        baseline_from=args.baseline_from,
        script=args.script,
        rasa=args.rasa,
        python=sys.executable,
        out_json=out_json,
        plot=plot,
        doc=None if args.no_doc or args.self_check else args.doc,
        workdir=args.workdir,
        keep_workdir=args.keep_workdir,
        train_timeout=args.train_timeout,
        start_timeout=args.start_timeout,
        request_timeout=args.request_timeout,
        phase_timeout=args.phase_timeout,
    )


def log(message: str) -> None:
    """Progress to stderr (stdout carries the report)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rasa_env(adir: Path) -> dict[str, str]:
    """Environment for an assistant's Rasa subprocesses.

    No telemetry, a private (so initially empty) training cache and a private temporary
    directory (TensorFlow's autograph files, unpacked models) under ``adir``.
    """
    tmp = adir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_CACHE_DIRECTORY": str(adir / "cache"),
            "TMPDIR": str(tmp),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": HOST,  # rasa-sdk's action server binds here (loopback only)
        }
    )
    return env


def two_ports() -> tuple[int, int]:
    """Two distinct free loopback ports."""
    first = free_port(HOST)
    for _ in range(20):
        second = free_port(HOST)
        if second != first:
            return first, second
    raise BenchError("could not find two free ports")


def write_server_config(directory: Path, action_port: int) -> tuple[Path, Path]:
    """Write the temporary ``endpoints.yml`` (action server) and ``credentials.yml`` (REST)."""
    directory.mkdir(parents=True, exist_ok=True)
    endpoints = directory / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://{HOST}:{action_port}/webhook"\n')
    credentials = directory / "credentials.yml"
    credentials.write_text("rest:\n")
    return endpoints, credentials


def prime_imports(opts: Options, workdir: Path) -> None:
    """Import Rasa, TensorFlow and rasa-sdk once, unmeasured, so both assistants start warm.

    Without this the first assistant measured pays for cold disk caches.
    """
    code = "import tensorflow, rasa.core.agent, rasa.core.run, rasa.model_training, rasa_sdk.endpoint"
    proc = ManagedProcess(
        "prime imports",
        [opts.python, "-c", code],
        cwd=workdir,
        log_path=workdir / "prime.log",
        env=rasa_env(workdir / "prime"),
    )
    with ProcessSet() as procs:
        procs.start(proc)
        try:
            proc.wait(timeout=opts.start_timeout)
        except ProcessError as exc:
            log(f"priming imports failed ({exc}); continuing")


def create_baseline(opts: Options, workdir: Path) -> Path:
    """Create the stock assistant fresh under ``workdir`` and return its directory."""
    dest = workdir / "stock"
    if opts.baseline_from == "template":
        return create_stock_project(dest)
    dest.mkdir(parents=True)
    init = ManagedProcess(
        "rasa init",
        [opts.rasa, "init", "--no-prompt", "--init-dir", str(dest)],
        cwd=dest,
        log_path=workdir / "rasa-init.log",
        env=rasa_env(workdir / "init"),
    )
    with ProcessSet() as procs:
        procs.start(init)
        if init.wait(timeout=opts.train_timeout) != 0:
            raise BenchError(f"rasa init failed:\n{init.log_tail()}")
    shutil.rmtree(dest / "models", ignore_errors=True)
    shutil.rmtree(dest / ".rasa", ignore_errors=True)
    return dest


@dataclass
class Deployment:
    """One assistant being benchmarked: its inputs, processes and result."""

    result: AssistantResult
    layout: ProjectLayout
    scripts: list[list[str]]
    adir: Path
    model: Path | None = None
    actions: ManagedProcess | None = None
    server: ManagedProcess | None = None
    base_url: str = ""

    @property
    def label(self) -> str:
        """``ours`` or ``baseline``."""
        return self.result.label

    @property
    def ok(self) -> bool:
        """No step has failed yet."""
        return self.result.error is None


RECOVERABLE = (BenchError, ProcessError, TimeoutError, RuntimeError, OSError, asyncio.TimeoutError)


def guarded(dep: Deployment, step: Callable[[Deployment], None]) -> None:
    """Run ``step`` for ``dep`` unless it already failed; record (not raise) a failure.

    A failed assistant is left out of the later steps while the other one goes on.
    """
    if not dep.ok:
        return
    try:
        step(dep)
    except RECOVERABLE as exc:
        dep.result.error = f"{type(exc).__name__}: {exc}"
        log(f"[{dep.label}] FAILED: {dep.result.error}")


def train(dep: Deployment, procs: ProcessSet, opts: Options) -> None:
    """``rasa train`` into the assistant's own models directory with an empty cache."""
    layout, adir, label = dep.layout, dep.adir, dep.label
    adir.mkdir(parents=True, exist_ok=True)
    models = adir / "models"
    log(f"[{label}] rasa train ({layout.root}) -> {adir / 'train.log'}")
    argv = [opts.rasa, "train", "--config", layout.config, "--domain", layout.domain, "--data", layout.data]
    argv += ["--out", str(models), "--fixed-model-name", label, "--force"]
    proc = procs.start(
        ManagedProcess(
            f"{label} rasa train",
            argv,
            cwd=layout.root,
            log_path=adir / "train.log",
            env=rasa_env(adir),
        )
    )
    code = proc.wait(timeout=opts.train_timeout)
    dep.result.train_seconds = time.perf_counter() - proc.started_at
    model = models / f"{label}.tar.gz"
    if code != 0 or not model.is_file():
        raise BenchError(f"rasa train exited {code}; last lines of {proc.log_path}:\n{proc.log_tail()}")
    dep.model = model
    dep.result.model_bytes = model.stat().st_size
    log(f"[{label}] trained in {dep.result.train_seconds:.1f} s, model {dep.result.model_bytes} bytes")


def serve(dep: Deployment, procs: ProcessSet, sampler: MemorySampler, opts: Options) -> None:
    """Start the action server, then the Rasa server, timing each until it answers."""
    layout, adir, label = dep.layout, dep.adir, dep.label
    if dep.model is None:
        raise BenchError("no model")
    env = rasa_env(adir)
    action_port, rasa_port = two_ports()
    endpoints, credentials = write_server_config(adir, action_port)
    actions = procs.start(
        ManagedProcess(
            f"{label} action server",
            [opts.rasa, "run", "actions", "-p", str(action_port), "--actions", layout.actions],
            cwd=layout.root,
            log_path=adir / "actions.log",
            env=env,
        )
    )
    dep.actions = actions
    sampler.watch(f"{label}/actions", actions)
    health = f"http://{HOST}:{action_port}/health"
    try:
        dep.result.action_ready_seconds = asyncio.run(
            wait_http_ok(health, actions.started_at, opts.start_timeout, actions.running)
        )
    except (TimeoutError, RuntimeError) as exc:
        raise BenchError(f"action server: {exc}\n{actions.log_tail()}") from exc
    log(f"[{label}] action server up in {dep.result.action_ready_seconds:.1f} s")

    argv = [opts.rasa, "run", "--enable-api", "--auth-token", secrets.token_hex(16), "-i", HOST]
    argv += ["-p", str(rasa_port), "--model", str(dep.model)]
    argv += ["--endpoints", str(endpoints), "--credentials", str(credentials)]
    server = procs.start(
        ManagedProcess(f"{label} rasa server", argv, cwd=layout.root, log_path=adir / "rasa.log", env=env)
    )
    dep.server = server
    sampler.watch(f"{label}/rasa", server)
    dep.base_url = f"http://{HOST}:{rasa_port}"
    try:
        dep.result.first_answer_seconds = asyncio.run(
            wait_first_answer(
                dep.base_url, dep.scripts[0][0], server.started_at, opts.start_timeout, server.running
            )
        )
    except (TimeoutError, RuntimeError) as exc:
        raise BenchError(f"rasa server: {exc}\n{server.log_tail()}") from exc
    log(f"[{label}] first REST answer {dep.result.first_answer_seconds:.1f} s after start")


def split_turns(turns: int, rounds: int) -> list[int]:
    """Split ``turns`` into ``rounds`` near-equal positive parts (fewer parts if turns < rounds)."""
    rounds = max(1, min(rounds, turns))
    base, extra = divmod(turns, rounds)
    return [base + (1 if i < extra else 0) for i in range(rounds)]


def load_round(dep: Deployment, concurrency: int, turns: int, warmup: int, opts: Options) -> None:
    """One round of load on ``dep``; merged into its result for that concurrency."""
    load = asyncio.run(
        run_load(
            dep.base_url,
            dep.scripts,
            concurrency,
            turns,
            warmup,
            request_timeout=opts.request_timeout,
            phase_timeout=opts.phase_timeout,
            prefix=dep.label,
        )
    )
    merged = dep.result.loads.get(concurrency)
    dep.result.loads[concurrency] = load if merged is None else merged.merge(load)
    for proc in (dep.server, dep.actions):
        if proc is not None and not proc.running():
            raise BenchError(f"{proc.name} died during the load:\n{proc.log_tail()}")


def run_loads(deps: Sequence[Deployment], opts: Options) -> None:
    """Measure every setting in interleaved rounds (ours, baseline, baseline, ours, ...).

    Interleaving exposes both assistants alike to drifting background load on a shared
    machine; each setting's first round per assistant starts with the warm-up turns.
    """
    for concurrency in sorted({1, opts.concurrency}):
        parts = split_turns(opts.turns, opts.rounds)
        log(f"{opts.turns} turns at {concurrency} concurrent, in {len(parts)} interleaved rounds")
        for index, turns in enumerate(parts):
            order = list(deps) if index % 2 == 0 else list(reversed(deps))
            for dep in order:
                warmup = opts.warmup if index == 0 else 0
                step = functools.partial(
                    load_round, concurrency=concurrency, turns=turns, warmup=warmup, opts=opts
                )
                guarded(dep, step)
        for dep in deps:
            load = dep.result.loads.get(concurrency)
            if load is not None:
                log(
                    f"[{dep.label}] c={concurrency}: {len(load.latencies)} ok, {load.errors} failed, "
                    f"{load.throughput or 0.0:.2f} turns/s"
                )


def bench_all(deps: Sequence[Deployment], opts: Options) -> None:
    """Train, serve and load every assistant; stop every process before returning."""
    with ProcessSet(grace=SHUTDOWN_GRACE) as procs:
        for dep in deps:
            guarded(dep, functools.partial(train, procs=procs, opts=opts))
        sampler = MemorySampler().start()
        try:
            for dep in deps:
                guarded(dep, functools.partial(serve, procs=procs, sampler=sampler, opts=opts))
            run_loads(deps, opts)
        finally:
            sampler.stop()
            for dep in deps:
                dep.result.rasa_peak_rss = sampler.peak_bytes(f"{dep.label}/rasa")
                dep.result.actions_peak_rss = sampler.peak_bytes(f"{dep.label}/actions")
        log("stopping servers")


def build_notes(
    results: Sequence[AssistantResult], opts: Options, scripts: dict[str, list[list[str]]]
) -> list[str]:
    """Caveats and per-run facts printed under the table."""
    cpus = os.cpu_count()
    notes = [
        f"Load generator, Rasa server and action server share the machine's {cpus} CPUs; "
        "latency is client-observed (POST to full JSON answer, custom actions included).",
        f"{opts.warmup} warm-up turns per setting are excluded; conversations are scripted "
        "and restart with a new sender id when they end; each setting's turns are split into "
        f"{opts.rounds} rounds"
        + (" alternating between the assistants (both served throughout)." if len(results) > 1 else "."),
        "`rasa train` runs with an empty training cache (cold); Python/TensorFlow imports are warmed once "
        "beforehand so neither side pays for a cold disk cache.",
        "Peak memory: the larger of the process tree's summed RSS (sampled every 0.2 s) and the kernel's "
        "VmHWM of any one process in it.",
    ]
    for label, convs in scripts.items():
        turns = sum(len(c) for c in convs)
        notes.append(f"{label}: {len(convs)} scripted conversations, {turns} user turns in all.")
    for result in results:
        if result.error:
            notes.append(f"**{result.label} failed**: {result.error.splitlines()[0]}")
        for concurrency, load in sorted(result.loads.items()):
            spread = load.round_p50_range_ms()
            if spread is not None and len(load.rounds) > 1:
                notes.append(
                    f"{result.label} at {concurrency} concurrent: per-round p50 "
                    f"{spread[0]:.0f}–{spread[1]:.0f} ms over {len(load.rounds)} rounds."
                )
            if load.errors or load.empty:
                notes.append(
                    f"{result.label} at {concurrency} concurrent: {load.errors} failed turns, "
                    f"{load.empty} empty answers"
                    + (f" (e.g. {load.error_samples[0]})" if load.error_samples else "")
                )
    return notes


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit code (1 if an assistant could not be measured)."""
    opts = parse_args(argv)
    previous = {sig: signal.signal(sig, _raise_exit) for sig in (signal.SIGTERM, signal.SIGHUP)}
    workdir = opts.workdir.resolve() if opts.workdir else Path(tempfile.mkdtemp(prefix="rasa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"work directory {workdir}")
    try:
        return _run(opts, workdir)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if opts.keep_workdir or opts.workdir:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(opts: Options, workdir: Path) -> int:
    started = dt.datetime.now(dt.timezone.utc)
    load_before = machine_info()["load_average"]
    if opts.project_dir is None:  # --self-check: a second fresh stock assistant plays "ours"
        project_dir = create_stock_project(workdir / "stock-as-ours")
    else:
        project_dir = opts.project_dir
    layouts: dict[str, ProjectLayout] = {"ours": ProjectLayout.detect(project_dir)}
    if not opts.skip_baseline:
        layouts["baseline"] = ProjectLayout.detect(create_baseline(opts, workdir))
    scripts = {
        label: conversations_for(layout, opts.script if label == "ours" else None)
        for label, layout in layouts.items()
    }
    log("warming Python imports (unmeasured)")
    prime_imports(opts, workdir)

    deps = [
        Deployment(
            AssistantResult(label=label, project_dir=str(layout.root)),
            layout,
            scripts[label],
            workdir / label,
        )
        for label, layout in layouts.items()
    ]
    bench_all(deps, opts)
    results = {dep.label: dep.result for dep in deps}
    ours, baseline = results["ours"], results.get("baseline")
    rows = metric_rows(ours, baseline, opts.concurrency)
    info = machine_info()
    settings: dict[str, Any] = {
        "turns per setting": opts.turns,
        "warm-up turns": opts.warmup,
        "concurrency": f"1 and {opts.concurrency}",
        "interleaved rounds": opts.rounds,
        "channel": "REST",
    }
    notes = build_notes(list(results.values()), opts, scripts)
    notes.append(
        f"System load average (1/5/15 min) before: {load_before}, after: {info['load_average']} "
        "(other work on the machine inflates latency and start-up figures)."
    )
    if opts.project_dir is None:
        notes.insert(
            0,
            "**Self-check**: 'ours' is a second fresh copy of the stock assistant, "
            "so every ratio should be close to 1.00×; the spread shows the run-to-run noise.",
        )
    report = render_report(rows, info, started, settings, notes)
    print(report, flush=True)

    payload = {
        "date": started.isoformat(),
        "duration_s": (dt.datetime.now(dt.timezone.utc) - started).total_seconds(),
        "machine": info,
        "settings": {
            "turns": opts.turns,
            "warmup": opts.warmup,
            "concurrency": opts.concurrency,
            "rounds": opts.rounds,
            "project_dir": str(project_dir),
            "self_check": opts.project_dir is None,
            "baseline": None if opts.skip_baseline else f"rasa init ({opts.baseline_from})",
        },
        "metrics": [row.to_dict() for row in rows],
        "assistants": {label: result.to_dict() for label, result in results.items()},
        "scripts": scripts,
        "notes": notes,
    }
    write_json(opts.out_json, payload)
    log(f"wrote {opts.out_json}")
    concurrencies = sorted({1, opts.concurrency})
    try:
        plot_latency(opts.plot, list(results.values()), concurrencies)
        log(f"wrote {opts.plot}")
    except Exception as exc:  # noqa: BLE001 - a missing plot must not lose the figures
        log(f"could not plot: {exc}")
    if opts.doc is not None:
        block = _doc_block(report, opts)
        update_doc(opts.doc, block)
        log(f"updated {opts.doc}")
    return 1 if any(result.error for result in results.values()) else 0


def _doc_block(report: str, opts: Options) -> str:
    plot = opts.plot
    try:
        rel = os.path.relpath(plot, opts.doc.parent if opts.doc else REPO_ROOT)
    except ValueError:
        rel = str(plot)
    return (
        "Produced by `make bench` (`python -m bench`); raw figures in `reports/bench.json`.\n\n"
        + report
        + f"\n![REST full-turn latency, ours vs stock rasa init]({rel})\n"
    )
