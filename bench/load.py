"""Load generation over Rasa's REST channel (``POST /webhooks/rest/webhook``).

Each worker plays scripted conversations one after the other (a fresh ``sender`` id per
conversation), so ``concurrency`` workers mean that many conversations in flight. A
warm-up phase runs first with the same workers; its turns are not recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.stats import percentile, summarize

REST_PATH = "/webhooks/rest/webhook"


@dataclass
class TurnResult:
    """One user message and the assistant's answer."""

    latency: float
    ok: bool
    replies: int = 0
    error: str = ""


@dataclass
class LoadResult:
    """Measured turns of one load setting."""

    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    duration: float = 0.0
    error_samples: list[str] = field(default_factory=list)
    rounds: list[dict[str, float]] = field(default_factory=list)

    @property
    def turns(self) -> int:
        """Number of measured turns (successful or not)."""
        return len(self.latencies) + self.errors

    @property
    def throughput(self) -> float | None:
        """Successful turns per second over the measured phase's wall time."""
        if self.duration <= 0 or not self.latencies:
            return None
        return len(self.latencies) / self.duration

    def merge(self, other: LoadResult) -> LoadResult:
        """Combine two rounds of the same setting (durations add up)."""
        if other.concurrency != self.concurrency:
            raise ValueError("cannot merge loads of different concurrency")
        return LoadResult(
            concurrency=self.concurrency,
            latencies=self.latencies + other.latencies,
            errors=self.errors + other.errors,
            empty=self.empty + other.empty,
            duration=self.duration + other.duration,
            error_samples=(self.error_samples + other.error_samples)[:5],
            rounds=self.rounds + other.rounds,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (latencies in seconds, raw sample included)."""
        return {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "errors": self.errors,
            "empty_replies": self.empty,
            "duration_s": self.duration,
            "throughput_tps": self.throughput,
            "latency_s": summarize(self.latencies),
            "latencies_s": self.latencies,
            "error_samples": self.error_samples,
            "rounds": self.rounds,
        }

    def round_p50_range_ms(self) -> tuple[float, float] | None:
        """Lowest and highest per-round median latency in ms (a gauge of run-to-run noise)."""
        p50s = [r["p50_s"] * 1000.0 for r in self.rounds if "p50_s" in r]
        return (min(p50s), max(p50s)) if p50s else None


class Conversation:
    """Cycles through scripted conversations, one ``sender`` id per conversation."""

    def __init__(self, scripts: Sequence[Sequence[str]], prefix: str, offset: int = 0) -> None:
        """Start at script ``offset`` so concurrent workers do not all play the same one."""
        if not scripts or not all(scripts):
            raise ValueError("need at least one non-empty conversation script")
        self._scripts = scripts
        self._prefix = prefix
        self._index = offset % len(scripts)
        self._position = 0
        self._count = itertools.count()
        self.sender = self._new_sender()

    def _new_sender(self) -> str:
        return f"{self._prefix}-{next(self._count)}-{uuid.uuid4().hex[:8]}"

    def next_message(self) -> tuple[str, str]:
        """Return ``(sender, text)`` of the next turn, starting a new conversation as needed."""
        script = self._scripts[self._index]
        if self._position >= len(script):
            self._index = (self._index + 1) % len(self._scripts)
            self._position = 0
            self.sender = self._new_sender()
            script = self._scripts[self._index]
        text = script[self._position]
        self._position += 1
        return self.sender, text


async def send_turn(
    session: aiohttp.ClientSession, base_url: str, sender: str, text: str, timeout: float
) -> TurnResult:
    """Send one message and wait for the full answer (actions included)."""
    start = time.perf_counter()
    try:
        async with session.post(
            base_url + REST_PATH,
            json={"sender": sender, "message": text},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.read()
            latency = time.perf_counter() - start
            if response.status != 200:
                return TurnResult(latency, False, error=f"HTTP {response.status}: {body[:200]!r}")
            try:
                payload = await response.json(content_type=None)
            except ValueError:
                return TurnResult(latency, False, error=f"not JSON: {body[:200]!r}")
            if not isinstance(payload, list):
                return TurnResult(latency, False, error=f"not a list: {body[:200]!r}")
            return TurnResult(latency, True, replies=len(payload))
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        return TurnResult(time.perf_counter() - start, False, error=f"{type(exc).__name__}: {exc}")


async def _phase(
    session: aiohttp.ClientSession,
    base_url: str,
    workers: Sequence[Conversation],
    turns: int,
    timeout: float,
    on_turn: Callable[[TurnResult], None] | None,
) -> float:
    """Run ``turns`` turns spread over ``workers``; return the phase's wall time."""
    remaining = [turns]

    async def worker(conv: Conversation) -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            sender, text = conv.next_message()
            result = await send_turn(session, base_url, sender, text, timeout)
            if on_turn is not None:
                on_turn(result)

    start = time.perf_counter()
    await asyncio.gather(*(worker(conv) for conv in workers))
    return time.perf_counter() - start


async def run_load(
    base_url: str,
    scripts: Sequence[Sequence[str]],
    concurrency: int,
    turns: int,
    warmup: int,
    *,
    request_timeout: float = 60.0,
    phase_timeout: float = 900.0,
    prefix: str = "bench",
) -> LoadResult:
    """Warm up with ``warmup`` turns, then measure ``turns`` turns at ``concurrency``.

    Raises:
        asyncio.TimeoutError: if a phase takes longer than ``phase_timeout`` seconds.
    """
    result = LoadResult(concurrency=concurrency)

    def record(turn: TurnResult) -> None:
        if turn.ok:
            result.latencies.append(turn.latency)
            if turn.replies == 0:
                result.empty += 1
        else:
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(turn.error)

    workers = [Conversation(scripts, f"{prefix}-c{concurrency}-w{i}", offset=i) for i in range(concurrency)]
    connector = aiohttp.TCPConnector(limit=max(concurrency, 1) * 2)
    async with aiohttp.ClientSession(connector=connector) as session:
        if warmup > 0:
            await asyncio.wait_for(
                _phase(session, base_url, workers, warmup, request_timeout, None), phase_timeout
            )
        result.duration = await asyncio.wait_for(
            _phase(session, base_url, workers, turns, request_timeout, record), phase_timeout
        )
    summary: dict[str, float] = {"turns": float(turns), "duration_s": result.duration}
    if result.latencies:
        summary["p50_s"] = percentile(result.latencies, 50)
    result.rounds.append(summary)
    return result


async def wait_first_answer(
    base_url: str,
    text: str,
    started_at: float,
    timeout: float,
    alive: Callable[[], bool],
    interval: float = 0.1,
) -> float:
    """Poll the REST channel until it answers; return seconds since ``started_at``.

    ``started_at`` is a :func:`time.perf_counter` value taken just before the server
    process was started.

    Raises:
        TimeoutError: if no answer arrived within ``timeout`` seconds of ``started_at``.
        RuntimeError: if ``alive()`` turns false (the server died) while waiting.
    """
    deadline = started_at + timeout
    sender = f"bench-probe-{uuid.uuid4().hex[:8]}"
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() < deadline:
            if not alive():
                raise RuntimeError("server exited before answering")
            turn = await send_turn(session, base_url, sender, text, timeout=min(30.0, timeout))
            if turn.ok:
                return time.perf_counter() - started_at
            await asyncio.sleep(interval)
    raise TimeoutError(f"no REST answer within {timeout:.0f} s")


async def wait_http_ok(
    url: str, started_at: float, timeout: float, alive: Callable[[], bool], interval: float = 0.1
) -> float:
    """Poll ``GET url`` until it returns 200; return seconds since ``started_at``.

    Raises:
        TimeoutError: if it did not within ``timeout`` seconds of ``started_at``.
        RuntimeError: if ``alive()`` turns false while waiting.
    """
    deadline = started_at + timeout
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() < deadline:
            if not alive():
                raise RuntimeError(f"server exited before {url} answered")
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
                    if response.status == 200:
                        return time.perf_counter() - started_at
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                pass
            await asyncio.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
