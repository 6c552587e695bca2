"""``python -m bench.profile``: where does a turn's time go? (in-process, no HTTP)

Loads a trained model with :meth:`rasa.core.agent.Agent.load`, optionally starts the
project's action server (``rasa run actions``, loopback, stopped at the end), plays the
scripted conversations through ``Agent.handle_message`` and reports:

* processor steps (``parse_message`` = NLU, ``_predict_next_with_tracker`` = policies,
  ``_run_action`` per action, tracker fetch/save) timed around the processor's methods;
* every graph node (NLU components, policies, ensemble) timed by a graph node hook, with
  the processor step it ran under;
* optionally a cProfile of the measured turns (``--cprofile out.prof``, top functions
  printed by cumulative time).

Example::

    .venv/bin/python -m bench.profile --model models/numbness.tar.gz --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.baseline import ProjectLayout, conversations_for
from bench.load import wait_http_ok
from bench.servers import ManagedProcess, ProcessSet, free_port
from bench.stats import percentile

HOST = "127.0.0.1"
# Actions every turn runs: left out of the turn-kind label.
NOT_A_TURN_KIND = frozenset({"action_listen", "action_extract_slots"})
PROCESSOR_STEPS = (
    "fetch_tracker_and_update_session",
    "parse_message",
    "run_action_extract_slots",
    "_predict_next_with_tracker",
    "_run_action",
    "save_tracker",
)


@dataclass
class Timings:
    """Collected durations (seconds) per key, and the processor step currently running."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    stack: list[str] = field(default_factory=list)
    enabled: bool = True
    # Actions run in the current turn, so turns can be grouped by what they did.
    turn_actions: list[str] = field(default_factory=list)

    def add(self, key: str, seconds: float) -> None:
        """Record one duration under ``key`` (ignored while disabled, e.g. warm-up)."""
        if self.enabled:
            self.samples[key].append(seconds)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a block as processor step ``name`` (nested steps are attributed to the inner one)."""
        self.stack.append(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stack.pop()
            self.add(f"step:{name}", time.perf_counter() - start)

    @property
    def current(self) -> str:
        """The innermost running processor step, or ``-``."""
        return self.stack[-1] if self.stack else "-"


def make_node_hook(timings: Timings, classes: dict[str, str]) -> Any:
    """Build a :class:`rasa.engine.graph.GraphNodeHook` that times every graph node."""
    from rasa.engine.graph import ExecutionContext, GraphNodeHook

    class TimingHook(GraphNodeHook):
        """Records each node's run time under ``node:<step>:<node name> (<class>)``."""

        def on_before_node(
            self,
            node_name: str,
            execution_context: ExecutionContext,
            config: dict[str, Any],
            received_inputs: dict[str, Any],
        ) -> dict:
            return {"start": time.perf_counter(), "step": timings.current}

        def on_after_node(
            self,
            node_name: str,
            execution_context: ExecutionContext,
            config: dict[str, Any],
            output: Any,
            input_hook_data: dict,
        ) -> None:
            elapsed = time.perf_counter() - input_hook_data["start"]
            cls = classes.get(node_name, "?")
            timings.add(f"node:{input_hook_data['step']}:{node_name} ({cls})", elapsed)

    return TimingHook()


def instrument(agent: Any, timings: Timings) -> int:
    """Attach the timing hook to every graph node and wrap the processor's steps.

    Uses Rasa 3.6 internals (``DaskGraphRunner._instantiated_nodes``, ``GraphNode._hooks``);
    returns how many nodes were instrumented (0 if those internals changed).
    """
    processor = agent.processor
    nodes = getattr(processor.graph_runner, "_instantiated_nodes", {})
    classes = {
        name: getattr(getattr(node, "_component_class", None), "__name__", "?")
        for name, node in nodes.items()
    }
    hook = make_node_hook(timings, classes)
    count = 0
    for node in nodes.values():
        hooks = getattr(node, "_hooks", None)
        if isinstance(hooks, list):
            hooks.append(hook)
            count += 1
    for name in PROCESSOR_STEPS:
        original = getattr(processor, name, None)
        if original is not None:
            setattr(processor, name, _wrap_step(original, name, timings))
    return count


def _wrap_step(fn: Callable[..., Any], name: str, timings: Timings) -> Callable[..., Any]:
    if asyncio.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            step = name
            action = args[0] if args else kwargs.get("action")
            if name == "_run_action" and action is not None:
                label = _action_name(action)
                step = f"_run_action[{label}]"
                if label not in NOT_A_TURN_KIND:
                    timings.turn_actions.append(label)
            with timings.step(step):
                return await fn(*args, **kwargs)

        return async_wrapper

    @functools.wraps(fn)
    def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
        with timings.step(name):
            return fn(*args, **kwargs)

    return sync_wrapper


def _action_name(action: Any) -> str:
    try:
        return str(action.name())
    except Exception:  # noqa: BLE001 - only used for a label
        return type(action).__name__


def summarize_ms(values: Sequence[float]) -> dict[str, float]:
    """Count, total, mean, p50 and p95 of durations in milliseconds."""
    if not values:
        return {"n": 0, "total_ms": 0.0, "mean_ms": 0.0, "p50_ms": 0.0, "p95_ms": 0.0}
    return {
        "n": len(values),
        "total_ms": sum(values) * 1000.0,
        "mean_ms": sum(values) / len(values) * 1000.0,
        "p50_ms": percentile(values, 50) * 1000.0,
        "p95_ms": percentile(values, 95) * 1000.0,
    }


def render_table(timings: Timings, turn_total: float) -> str:
    """Markdown tables of processor steps and graph nodes, largest total first."""
    lines = []
    for prefix, title in (
        ("turn:", "turn kind (actions run [replies])"),
        ("step:", "processor step"),
        ("node:", "graph node (step: node (class))"),
    ):
        rows = [
            (key[len(prefix) :], summarize_ms(v))
            for key, v in timings.samples.items()
            if key.startswith(prefix)
        ]
        rows.sort(key=lambda item: -item[1]["total_ms"])
        lines += [
            "",
            f"| {title} | calls | mean ms | p50 ms | p95 ms | total ms | share of turn time |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for key, s in rows:
            share = s["total_ms"] / (turn_total * 1000.0) if turn_total else 0.0
            lines.append(
                f"| {key} | {s['n']:.0f} | {s['mean_ms']:.2f} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} "
                f"| {s['total_ms']:.1f} | {share:.1%} |"
            )
    return "\n".join(lines)


def _quiet_rasa_logs() -> None:
    """Send Rasa's (structlog) logging to stderr at WARNING so stdout holds only the report."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)  # before Rasa's (stdout) default
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def newest_model(project_dir: Path) -> Path | None:
    """The newest ``models/*.tar.gz`` of a project, if any."""
    models = sorted((project_dir / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile",
        description="Where a turn's time goes: per-component NLU and policy timings, in-process.",
    )
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--model", type=Path, help="model .tar.gz (default: newest in <project>/models)")
    parser.add_argument("--script", type=Path, help="JSON/YAML conversations (default: built-in)")
    parser.add_argument("--repeat", type=int, default=3, help="times each conversation is played")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured plays of the first conversation")
    parser.add_argument("--no-actions", action="store_true", help="do not start the action server")
    parser.add_argument("--cprofile", type=Path, help="write cProfile stats of the measured turns here")
    parser.add_argument("--top", type=int, default=25, help="cProfile functions to print")
    parser.add_argument(
        "--show-replies", action="store_true", help="print each scripted conversation with the bot's replies"
    )
    parser.add_argument("--json", type=Path, help="also write the timings as JSON here")
    parser.add_argument("--start-timeout", type=float, default=120.0)
    return parser.parse_args(argv)


async def _play(
    agent: Any,
    conversations: Sequence[Sequence[str]],
    tag: str,
    show: bool = False,
    timings: Timings | None = None,
) -> list[float]:
    """Play each conversation once (a new sender each); return per-turn latencies.

    With ``timings``, each turn's latency is also recorded under ``turn:<actions it ran>``.
    """
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    latencies = []
    for index, conversation in enumerate(conversations):
        sender = f"profile-{tag}-{index}-{os.getpid()}"
        for text in conversation:
            channel = CollectingOutputChannel()
            if timings is not None:
                timings.turn_actions.clear()
            start = time.perf_counter()
            await agent.handle_message(UserMessage(text, channel, sender))
            elapsed = time.perf_counter() - start
            latencies.append(elapsed)
            if timings is not None:
                kind = " + ".join(timings.turn_actions) or "(no action)"
                timings.add(f"turn:{kind} [{len(channel.messages)} msgs]", elapsed)
            if show:
                print(f"  user: {text}", file=sys.stderr)
                for message in channel.messages:
                    print(f"  bot:  {str(message.get('text', message))[:160]}", file=sys.stderr)
    return latencies


async def _measure(
    agent: Any,
    conversations: Sequence[Sequence[str]],
    warmup: int,
    repeat: int,
    timings: Timings,
    profiler: cProfile.Profile | None,
    show: bool = False,
) -> list[float]:
    """Play ``warmup`` unmeasured then ``repeat`` measured rounds in one event loop.

    With ``show``, the first warm-up round plays every conversation and prints the replies.
    """
    timings.enabled = False
    for i in range(warmup):
        await _play(agent, conversations if show else conversations[:1], f"warm{i}", show=show and i == 0)
    timings.enabled = True
    latencies: list[float] = []
    if profiler is not None:
        profiler.enable()
    try:
        for i in range(repeat):
            latencies += await _play(agent, conversations, f"r{i}", timings=timings)
    finally:
        if profiler is not None:
            profiler.disable()
    return latencies


def main(argv: Sequence[str] | None = None) -> int:
    """Run the profiler; return the exit code."""
    args = parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    project = args.project_dir.resolve()
    model = args.model.resolve() if args.model else newest_model(project)
    if model is None or not model.is_file():
        print(f"no model: pass --model or train one into {project}/models (`make train`)", file=sys.stderr)
        return 2
    layout = ProjectLayout.detect(project)
    conversations = conversations_for(layout, args.script)
    os.chdir(project)  # custom components (e.g. addons.*) import relative to the project
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))

    with ProcessSet() as procs, tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        endpoint = None
        if not args.no_actions and (project / layout.actions).exists():
            port = free_port(HOST)
            env = dict(os.environ, SANIC_HOST=HOST, RASA_CACHE_DIRECTORY=str(Path(tmp) / "cache"))
            actions = procs.start(
                ManagedProcess(
                    "action server",
                    [str(Path(sys.executable).parent / "rasa"), "run", "actions", "-p", str(port)],
                    cwd=project,
                    log_path=Path(tmp) / "actions.log",
                    env=env,
                )
            )
            ready = asyncio.run(
                wait_http_ok(
                    f"http://{HOST}:{port}/health", actions.started_at, args.start_timeout, actions.running
                )
            )
            print(f"action server ready after {ready:.1f} s", file=sys.stderr)
            from rasa.utils.endpoints import EndpointConfig

            endpoint = EndpointConfig(url=f"http://{HOST}:{port}/webhook")

        _quiet_rasa_logs()
        from rasa.core.agent import Agent

        start = time.perf_counter()
        agent = Agent.load(str(model), action_endpoint=endpoint)
        load_seconds = time.perf_counter() - start
        timings = Timings()
        nodes = instrument(agent, timings)
        print(f"model {model} loaded in {load_seconds:.1f} s; {nodes} graph nodes timed", file=sys.stderr)

        profiler = cProfile.Profile() if args.cprofile else None
        latencies = asyncio.run(
            _measure(agent, conversations, args.warmup, args.repeat, timings, profiler, args.show_replies)
        )

    turn_total = sum(latencies)
    turn = summarize_ms(latencies)
    print(f"# Profile of {model.name}")
    print()
    print(
        f"{turn['n']:.0f} turns ({len(conversations)} conversations x {args.repeat}); "
        f"model load {load_seconds:.2f} s; "
        f"turn mean {turn['mean_ms']:.1f} ms, p50 {turn['p50_ms']:.1f} ms, p95 {turn['p95_ms']:.1f} ms."
    )
    print(render_table(timings, turn_total))
    if profiler is not None and args.cprofile is not None:
        args.cprofile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(args.cprofile))
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(args.top)
        print(f"\n## cProfile (top {args.top} by cumulative time; full stats in {args.cprofile})\n")
        print("```")
        print(buffer.getvalue().strip())
        print("```")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "model": str(model),
            "load_seconds": load_seconds,
            "turns": turn,
            "timings": {key: summarize_ms(values) for key, values in timings.samples.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
