"""Drives one conversation per vignette against a running assistant.

Messages go through the Rasa REST channel (``POST /webhooks/rest/webhook``); after every
turn the tracker (``GET /conversations/<id>/tracker``, token-protected HTTP API) gives the
slots ``triage_level``, ``likely_causes`` and ``requested_slot`` and the active form.
Only loopback addresses are allowed, every request has a timeout, and only the standard
library is used.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Sequence

from evaluation.patient import SimulatedPatient
from evaluation.vignettes import Vignette

DEFAULT_URL = "http://localhost:5005"
DEFAULT_TOKEN = "eval-token"
MAX_TURNS = 25
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class AssistantError(RuntimeError):
    """The assistant could not be reached or answered with something unexpected."""


@dataclass
class Turn:
    """One message in a transcript, with the tracker state after a user turn."""

    speaker: str  # "patient" or "bot"
    text: str
    buttons: List[str] = field(default_factory=list)
    requested_slot: str | None = None
    triage_level: str | None = None


@dataclass
class Outcome:
    """What happened in one vignette's conversation."""

    vignette_id: str
    sender: str
    first_turn_level: str | None = None
    final_level: str | None = None
    likely_causes: List[str] = field(default_factory=list)
    questions_asked: int = 0
    turns: int = 0
    transcript: List[Turn] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> Dict[str, Any]:
        """Plain data for JSON output."""
        return asdict(self)


def token_from_env() -> str:
    """The HTTP API token: ``RASA_TOKEN`` or the evaluation default."""
    return os.environ.get("RASA_TOKEN", DEFAULT_TOKEN)


class RasaClient:
    """A minimal client for the REST channel and the tracker endpoint of one local server."""

    def __init__(self, url: str = DEFAULT_URL, token: str | None = None, timeout: float = 30.0):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or parsed.hostname not in LOOPBACK_HOSTS:
            raise ValueError(f"only a loopback http(s) URL is allowed, got {url!r}")
        self.url = url.rstrip("/")
        self.token = token if token is not None else token_from_env()
        self.timeout = timeout
        # No proxies: requests must stay on this machine whatever the environment says.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _open(self, path: str, body: Mapping[str, Any] | None = None) -> bytes:
        data = None if body is None else json.dumps(body).encode("utf-8")
        method = "GET" if body is None else "POST"
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        where = f"{method} {path.split('?')[0]}"
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            raise AssistantError(f"{where}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise AssistantError(f"{where}: {exc}") from exc

    def _request(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        raw = self._open(path, body)
        try:
            return json.loads(raw.decode("utf-8")) if raw else None
        except ValueError as exc:
            raise AssistantError(f"{path.split('?')[0]}: response is not JSON") from exc

    def is_up(self) -> bool:
        """Whether the server answers at all (any HTTP status counts)."""
        try:
            self._open("/")
        except AssistantError as exc:
            return "HTTP" in str(exc)
        return True

    def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        """Send one user message; the bot's replies (``text`` and ``buttons``)."""
        reply = self._request("/webhooks/rest/webhook", {"sender": sender, "message": text})
        if not isinstance(reply, list):
            raise AssistantError("webhook reply is not a list of messages")
        return [m for m in reply if isinstance(m, dict)]

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker (slots and active loop, without events)."""
        query = urllib.parse.urlencode({"token": self.token, "include_events": "NONE"})
        sender_path = urllib.parse.quote(sender, safe="")
        tracker = self._request(f"/conversations/{sender_path}/tracker?{query}")
        if not isinstance(tracker, dict):
            raise AssistantError("tracker is not a JSON object")
        return tracker


def slots_of(tracker: Mapping[str, Any]) -> Dict[str, Any]:
    """The tracker's slots (empty when absent)."""
    slots = tracker.get("slots")
    return dict(slots) if isinstance(slots, dict) else {}


def active_form(tracker: Mapping[str, Any]) -> str | None:
    """The name of the active form/loop, or None."""
    loop = tracker.get("active_loop")
    if isinstance(loop, dict) and loop.get("name"):
        return str(loop["name"])
    return None


def _causes(value: Any) -> List[str]:
    if isinstance(value, list):
        return [str(c) for c in value]
    if isinstance(value, str) and value:
        return [value]
    return []


def _bot_turns(messages: Sequence[Mapping[str, Any]]) -> List[Turn]:
    turns = []
    for message in messages:
        buttons = [str(b.get("title", "")) for b in message.get("buttons") or [] if isinstance(b, dict)]
        text = str(message.get("text") or message.get("custom") or message.get("image") or "")
        turns.append(Turn("bot", text, buttons))
    return turns


def new_sender(vignette_id: str) -> str:
    """A conversation id unique to this run."""
    return f"eval-{vignette_id}-{uuid.uuid4().hex[:8]}"


def run_vignette(vignette: Vignette, client: RasaClient, max_turns: int = MAX_TURNS) -> Outcome:
    """Talk to the assistant as the vignette's patient until the interview ends.

    The opening is sent; then, while the tracker shows a requested slot or an active form
    and fewer than ``max_turns`` user turns were sent, the patient answers. A connection
    problem ends the conversation and is recorded in ``Outcome.error``.
    """
    patient = SimulatedPatient(vignette)
    outcome = Outcome(vignette.id, new_sender(vignette.id))
    started = time.monotonic()
    text: str | None = patient.opening()
    try:
        while text is not None and outcome.turns < max_turns:
            outcome.transcript.append(Turn("patient", text))
            messages = client.send(outcome.sender, text)
            tracker = client.tracker(outcome.sender)
            outcome.turns += 1
            slots = slots_of(tracker)
            level = slots.get("triage_level") or None
            requested = slots.get("requested_slot") or None
            outcome.transcript[-1].requested_slot = requested
            outcome.transcript[-1].triage_level = level
            outcome.transcript.extend(_bot_turns(messages))
            if outcome.turns == 1:
                outcome.first_turn_level = level
            outcome.final_level = level
            outcome.likely_causes = _causes(slots.get("likely_causes"))
            if requested:
                outcome.questions_asked += 1
            if not requested and active_form(tracker) is None:
                break
            text = patient.answer(messages, requested)
    except AssistantError as exc:
        outcome.error = str(exc)
    outcome.seconds = round(time.monotonic() - started, 3)
    return outcome


def run_all(
    vignettes: Sequence[Vignette],
    client: RasaClient,
    max_turns: int = MAX_TURNS,
    progress: Callable[[Vignette, Outcome], None] | None = None,
) -> List[Outcome]:
    """Run every vignette in order; ``progress(vignette, outcome)`` is called after each."""
    outcomes = []
    for vignette in vignettes:
        outcome = run_vignette(vignette, client, max_turns)
        outcomes.append(outcome)
        if progress is not None:
            progress(vignette, outcome)
    return outcomes
