"""Shared fixtures: the real table, and a way to build findings from feature names."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from triage.contract import FINDINGS  # noqa: E402
from triage.features import Findings  # noqa: E402
from triage.table import Table, load_table  # noqa: E402

if TYPE_CHECKING:
    from clinical_nlp import ClinicalNLP

# Descriptor values that make one derived feature true.
FEATURE_DESCRIPTORS: Dict[str, Dict[str, Any]] = {
    "onset_sudden": {"onset": "sudden"},
    "onset_gradual": {"onset": "gradual"},
    "side_one": {"side": "left"},
    "side_both": {"side": "both"},
    "progression_worsening": {"progression": "worsening"},
    "progression_stable": {"progression": "stable"},
    "progression_improving": {"progression": "improving"},
    "progression_comes_and_goes": {"progression": "comes_and_goes"},
    "duration_short": {"duration": "since yesterday"},
    "duration_weeks": {"duration": "3 weeks"},
    "duration_long": {"duration": "6 months"},
    "age_under_40": {"age": 30},
    "age_over_50": {"age": 60},
    "age_over_65": {"age": 75},
    "sex_female": {"sex": "female"},
    "sex_male": {"sex": "male"},
    "pattern_stocking": {"location": "both feet, rising up to the ankles like socks"},
    "pattern_radicular": {"location": "from my lower back down the back of my left leg"},
    "pattern_tarsal": {"location": "the sole of my left foot"},
    "pattern_hemibody": {"location": "my whole left side, arm and leg"},
    "pattern_patchy": {"location": "patches on my thighs that move around"},
    "pattern_toes_only": {"location": "just my toes"},
    "pattern_whole_leg": {"location": "my whole right leg"},
}


def findings_for(terms: Iterable[str], **flags: bool) -> Findings:
    """Findings in which every positive term holds; ``!x`` terms are left unknown."""
    values: Dict[str, Any] = {}
    present: Dict[str, bool] = dict(flags)
    for term in terms:
        if term.startswith("!"):
            continue
        if term in FINDINGS:
            present.setdefault(term, True)
        else:
            for key, value in FEATURE_DESCRIPTORS[term].items():
                if key == "location" and "location" in values:
                    value = f"{values['location']}; {value}"
                values[key] = value
    return Findings(flags=present, **values)


@pytest.fixture(scope="session")
def table() -> Table:
    return load_table()


@pytest.fixture(scope="session")
def nlp() -> ClinicalNLP:
    """The project's clinical pipeline (built once, cached by ``get_nlp``)."""
    from clinical_nlp import get_nlp

    return get_nlp()


# --- a trained assistant, in-process, with its action server unreachable ------------

MODEL = Path(__file__).resolve().parent.parent / "models" / "numbness.tar.gz"


def _load_agent(action_url: str) -> Any:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    loop = asyncio.new_event_loop()
    endpoints = AvailableEndpoints(action=EndpointConfig(url=action_url))
    loaded = loop.run_until_complete(load_agent(model_path=str(MODEL), endpoints=endpoints))
    loaded.test_loop = loop
    return loaded


@pytest.fixture(scope="session")
def agent() -> Any:
    """The trained model with an action endpoint nobody listens on (server "down")."""
    if not MODEL.is_file():
        pytest.skip("needs a trained model (make train)")
    loaded = _load_agent("http://127.0.0.1:9/webhook")
    yield loaded
    loaded.test_loop.close()


@pytest.fixture(scope="session")
def full_agent() -> Any:
    """The trained model with a real action server on a free loopback port."""
    if not MODEL.is_file():
        pytest.skip("needs a trained model (make train)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "SANIC_HOST": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the action server did not start")
        loaded = _load_agent(f"http://127.0.0.1:{port}/webhook")
        yield loaded
        loaded.test_loop.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def talk(agent: Any, text: Any, sender: str | None = None) -> Dict[str, Any]:
    """One user turn: the bot's replies and the slots afterwards."""
    sender = sender or uuid.uuid4().hex

    async def turn() -> Dict[str, Any]:
        replies: List[Dict[str, Any]] = await agent.handle_text(text, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        return {"replies": [r.get("text") or "" for r in replies], "slots": tracker.current_slot_values()}

    return agent.test_loop.run_until_complete(turn())
