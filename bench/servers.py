"""Process management for the benchmark: process groups, bounded waits, memory sampling.

Every process is started in its own session (``start_new_session=True``) so that it and
all of its descendants form one process group that :meth:`ManagedProcess.stop` can end
with ``SIGTERM`` and, after a bounded wait, ``SIGKILL``. :class:`ProcessSet` stops
everything it started in reverse order, also when the benchmark fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

try:  # psutil is optional; /proc is the fallback.
    import psutil  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - depends on the environment
    psutil = None

PAGE_KIB = 1024


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ProcInfo:
    """What the benchmark needs from ``/proc/<pid>/stat``."""

    pid: int
    ppid: int
    pgid: int
    state: str


def read_proc_stat(pid: int) -> ProcInfo | None:
    """Parse ``/proc/<pid>/stat``; ``None`` when the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    rest = raw[raw.rfind(")") + 2 :].split()
    if len(rest) < 3:
        return None
    return ProcInfo(pid=pid, state=rest[0], ppid=int(rest[1]), pgid=int(rest[2]))


def all_procs() -> list[ProcInfo]:
    """Return every live process visible in ``/proc``."""
    infos = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = read_proc_stat(int(entry))
            if info is not None:
                infos.append(info)
    return infos


def tree_pids(root: int, pgid: int | None = None) -> list[int]:
    """Return ``root`` and its live (non-zombie) descendants plus members of ``pgid``.

    Descendants that left the group are found through their parent chain; members of the
    group that were re-parented (their parent died) are found through the group id.
    """
    procs = [p for p in all_procs() if p.state != "Z"]
    children: dict[int, list[int]] = {}
    for info in procs:
        children.setdefault(info.ppid, []).append(info.pid)
    alive = {p.pid for p in procs}
    pids: set[int] = set()
    stack = [root] if root in alive else []
    while stack:
        pid = stack.pop()
        if pid not in pids:
            pids.add(pid)
            stack.extend(children.get(pid, []))
    if pgid is not None:
        pids.update(p.pid for p in procs if p.pgid == pgid)
    return sorted(pids)


def group_alive(pgid: int) -> bool:
    """Whether any non-zombie process is still in process group ``pgid``."""
    return any(p.pgid == pgid and p.state != "Z" for p in all_procs())


def read_status_kib(pid: int, key: str) -> int | None:
    """Return a ``kB`` field (``VmRSS``, ``VmHWM``...) of ``/proc/<pid>/status``."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        return None
    return None


def rss_bytes(pid: int) -> int | None:
    """Current resident set size of ``pid`` in bytes (psutil, else ``/proc``)."""
    if psutil is not None:
        try:
            return int(psutil.Process(pid).memory_info().rss)
        except psutil.Error:
            return None
    kib = read_status_kib(pid, "VmRSS")
    return None if kib is None else kib * PAGE_KIB


def hwm_bytes(pid: int) -> int | None:
    """Peak resident set size (``VmHWM``) of ``pid`` in bytes, from ``/proc``."""
    kib = read_status_kib(pid, "VmHWM")
    return None if kib is None else kib * PAGE_KIB


class ProcessError(RuntimeError):
    """A managed process failed to start, exited early or did not become ready."""


@dataclass
class ManagedProcess:
    """A subprocess running in its own process group with its output sent to a log file."""

    name: str
    argv: Sequence[str]
    cwd: Path
    log_path: Path
    env: Mapping[str, str] | None = None
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> ManagedProcess:
        """Start the process (new session, stdin closed, stdout+stderr to the log)."""
        if self.popen is not None:
            raise ProcessError(f"{self.name} already started")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        env = dict(os.environ if self.env is None else self.env)
        self.started_at = time.perf_counter()
        self.popen = subprocess.Popen(  # noqa: S603 - argv built by the benchmark
            list(self.argv),
            cwd=str(self.cwd),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    @property
    def pid(self) -> int:
        """The leader's pid (also the process group id)."""
        if self.popen is None:
            raise ProcessError(f"{self.name} not started")
        return self.popen.pid

    def running(self) -> bool:
        """Whether the leader process is still running."""
        return self.popen is not None and self.popen.poll() is None

    def pids(self) -> list[int]:
        """Live pids of the process tree (leader, descendants and group members)."""
        if self.popen is None:
            return []
        return tree_pids(self.popen.pid, pgid=self.popen.pid)

    def wait(self, timeout: float) -> int:
        """Wait at most ``timeout`` seconds for the leader to exit; return its code.

        Raises:
            ProcessError: if it is still running after ``timeout`` (it is then stopped).
        """
        if self.popen is None:
            raise ProcessError(f"{self.name} not started")
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            self.stop()
            raise ProcessError(f"{self.name} did not finish within {timeout:.0f} s") from exc

    def terminate(self) -> None:
        """Send ``SIGTERM`` to the process group without waiting (see :meth:`stop`)."""
        if self.popen is not None and (self.popen.poll() is None or group_alive(self.popen.pid)):
            _signal_group(self.popen.pid, signal.SIGTERM)

    def stop(self, grace: float = 10.0) -> int | None:
        """Stop the whole process group: ``SIGTERM``, wait ``grace`` s, then ``SIGKILL``.

        Safe to call more than once and on a process that already exited. Returns the
        leader's exit code (``None`` if it never started).
        """
        if self.popen is None:
            return None
        pgid = self.popen.pid
        try:
            if self.popen.poll() is None or group_alive(pgid):
                _signal_group(pgid, signal.SIGTERM)
                deadline = time.monotonic() + grace
                while time.monotonic() < deadline:
                    if self.popen.poll() is not None and not group_alive(pgid):
                        break
                    time.sleep(0.05)
                if self.popen.poll() is None or group_alive(pgid):
                    _signal_group(pgid, signal.SIGKILL)
            try:
                code = self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
                code = None
            deadline = time.monotonic() + grace
            while group_alive(pgid) and time.monotonic() < deadline:
                _signal_group(pgid, signal.SIGKILL)
                time.sleep(0.05)
            return code
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    def log_tail(self, lines: int = 30) -> str:
        """Return the last ``lines`` lines of the log (for error messages)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


class ProcessSet:
    """Context manager owning started processes; stops them all (reverse order) on exit."""

    def __init__(self, grace: float = 10.0) -> None:
        """Create an empty set; ``grace`` is each process's SIGTERM-to-SIGKILL wait on exit."""
        self.grace = grace
        self._procs: list[ManagedProcess] = []

    def start(self, proc: ManagedProcess) -> ManagedProcess:
        """Start ``proc`` and take ownership of it."""
        self._procs.append(proc)
        proc.start()
        return proc

    @property
    def processes(self) -> list[ManagedProcess]:
        """Processes started so far."""
        return list(self._procs)

    def stop_all(self, grace: float | None = None) -> None:
        """Stop every owned process, even if stopping one fails.

        All groups get ``SIGTERM`` at once, so their graceful shutdowns overlap; then each
        is waited for (most recent first) and killed if still alive after ``grace`` s.
        """
        grace = self.grace if grace is None else grace
        procs, self._procs = list(reversed(self._procs)), []
        errors = []
        for proc in procs:
            try:
                proc.terminate()
            except Exception as exc:  # noqa: BLE001 - keep stopping the others
                errors.append(f"{proc.name}: {exc}")
        for proc in procs:
            try:
                proc.stop(grace=grace)
            except Exception as exc:  # noqa: BLE001 - keep stopping the others
                errors.append(f"{proc.name}: {exc}")
        if errors:
            raise ProcessError("could not stop: " + "; ".join(errors))

    def __enter__(self) -> ProcessSet:
        """Enter the context."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop every owned process."""
        self.stop_all()


class MemorySampler:
    """Background thread sampling the memory of process trees.

    For each named process it keeps the largest sum of current RSS over the tree seen at
    any sample, and the largest per-process ``VmHWM`` (kernel-tracked peak, which catches
    spikes between samples). :meth:`peak_bytes` returns the larger of the two.
    """

    def __init__(self, interval: float = 0.2) -> None:
        """Create a sampler taking a sample every ``interval`` seconds."""
        self.interval = interval
        self._targets: dict[str, ManagedProcess] = {}
        self._tree_peak: dict[str, int] = {}
        self._hwm_peak: dict[str, int] = {}
        self._seen: dict[str, set[int]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, name: str, proc: ManagedProcess) -> None:
        """Start sampling ``proc`` under ``name``."""
        with self._lock:
            self._targets[name] = proc
            self._tree_peak.setdefault(name, 0)
            self._hwm_peak.setdefault(name, 0)
            self._seen.setdefault(name, set())

    def sample(self) -> None:
        """Take one sample of every watched process tree now."""
        with self._lock:
            targets = dict(self._targets)
        for name, proc in targets.items():
            pids = proc.pids()
            total = 0
            for pid in pids:
                total += rss_bytes(pid) or 0
                hwm = hwm_bytes(pid) or 0
                with self._lock:
                    self._hwm_peak[name] = max(self._hwm_peak[name], hwm)
                    self._seen[name].add(pid)
            with self._lock:
                self._tree_peak[name] = max(self._tree_peak[name], total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> MemorySampler:
        """Start the background thread."""
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Take a last sample and stop the thread (bounded wait)."""
        self.sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def peak_bytes(self, name: str) -> int | None:
        """Peak memory of ``name``'s tree in bytes, or ``None`` if never sampled."""
        with self._lock:
            peak = max(self._tree_peak.get(name, 0), self._hwm_peak.get(name, 0))
        return peak or None

    def process_count(self, name: str) -> int:
        """How many distinct pids were seen in ``name``'s tree."""
        with self._lock:
            return len(self._seen.get(name, ()))
