"""The two assistants' project layouts and the scripted conversations played against them.

The baseline is the stock ``rasa init`` assistant, created fresh in a temporary directory
on every run. By default it is copied from Rasa's own scaffold template, which is exactly
what ``rasa init --no-prompt`` copies before it trains; ``--baseline-from cli`` runs
``rasa init --no-prompt`` itself instead (slower: it trains once more, unmeasured).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

# Scripted user turns for this project's assistant (numbness / tingling in legs or feet).
PROJECT_CONVERSATIONS: tuple[tuple[str, ...], ...] = (
    (
        "hi",
        "my feet have been tingling for 3 weeks",
        "no",
        "yes",
        "no",
        "not sure",
        "no",
        "what could be causing this?",
        "thanks, bye",
    ),
    (
        "hello",
        "I have pins and needles in both legs since last month",
        "no",
        "no",
        "yes",
        "I'm not sure",
        "no",
        "what tests would I need?",
        "goodbye",
    ),
    (
        "hey",
        "my left foot has been numb since this morning",
        "no",
        "yes",
        "no",
        "no",
        "is it serious?",
        "bye",
    ),
    (
        "hi there",
        "numbness in my toes for a few months, I'm 67",
        "no",
        "no",
        "no",
        "yes",
        "can vitamins help?",
        "thank you",
    ),
    (
        "good morning",
        "tingling and burning in both feet for about 2 months",
        "no",
        "no",
        "no",
        "no",
        "gradually",
        "staying the same",
        "both feet",
        *(["no"] * 6),
        "thanks",
    ),
)

# Scripted user turns for the stock ``rasa init`` assistant (its NLU examples' intents).
STOCK_CONVERSATIONS: tuple[tuple[str, ...], ...] = (
    ("hi", "great", "bye"),
    ("hello", "I am sad", "yes", "bye"),
    ("hey", "not good", "no"),
    ("good morning", "are you a bot?", "I am great", "goodbye"),
)


@dataclass(frozen=True)
class ProjectLayout:
    """Where ``rasa train`` finds one assistant's inputs (paths relative to ``root``)."""

    root: Path
    config: str
    domain: str
    data: str
    actions: str

    @classmethod
    def detect(cls, root: Path) -> ProjectLayout:
        """Find config, domain (``domain/`` directory or ``domain.yml``), data and actions.

        Raises:
            FileNotFoundError: if ``root`` lacks a config, a domain or training data.
        """
        root = root.resolve()
        if not (root / "config.yml").is_file():
            raise FileNotFoundError(f"{root}/config.yml not found")
        if (root / "domain").is_dir():
            domain = "domain"
        elif (root / "domain.yml").is_file():
            domain = "domain.yml"
        else:
            raise FileNotFoundError(f"no domain/ or domain.yml in {root}")
        if not (root / "data").is_dir():
            raise FileNotFoundError(f"{root}/data not found")
        return cls(root=root, config="config.yml", domain=domain, data="data", actions="actions")

    def is_stock(self) -> bool:
        """Whether this looks like the stock ``rasa init`` assistant (its ``mood_great`` intent)."""
        domain = self.root / self.domain
        files = [domain] if domain.is_file() else sorted(domain.rglob("*.yml"))
        for path in files:
            try:
                if "mood_great" in path.read_text(errors="replace"):
                    return True
            except OSError:
                continue
        return False


def scaffold_path() -> Path:
    """Rasa's ``rasa init`` template directory, found without importing Rasa."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("rasa is not installed in this interpreter")
    path = Path(next(iter(spec.submodule_search_locations))) / "cli" / "initial_project"
    if not path.is_dir():
        raise RuntimeError(f"rasa scaffold template not found at {path}")
    return path


def create_stock_project(dest: Path) -> Path:
    """Copy the ``rasa init`` template into ``dest`` (must not exist yet); return ``dest``."""
    shutil.copytree(scaffold_path(), dest)
    return dest


def conversations_for(layout: ProjectLayout, script_file: Path | None = None) -> list[list[str]]:
    """Scripted conversations for an assistant: from ``script_file`` if given, else built in.

    A script file is JSON or YAML holding a list of conversations, each a list of user
    messages.

    Raises:
        ValueError: if the script file is not a non-empty list of non-empty string lists.
    """
    if script_file is not None:
        text = script_file.read_text()
        data = json.loads(text) if script_file.suffix == ".json" else yaml.safe_load(text)
        return validate_script(data)
    chosen: Sequence[Sequence[str]] = STOCK_CONVERSATIONS if layout.is_stock() else PROJECT_CONVERSATIONS
    return [list(conv) for conv in chosen]


def validate_script(data: object) -> list[list[str]]:
    """Check and normalize a conversation script (list of lists of strings).

    Raises:
        ValueError: if ``data`` has another shape.
    """
    if not isinstance(data, list) or not data:
        raise ValueError("a script is a non-empty list of conversations")
    out = []
    for conv in data:
        if not isinstance(conv, list) or not conv or not all(isinstance(m, str) and m for m in conv):
            raise ValueError(f"a conversation is a non-empty list of messages, got {conv!r}")
        out.append(list(conv))
    return out
