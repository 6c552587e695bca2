"""Helpers for the tests of how messages are read: what a message states, which flags it raises."""

from __future__ import annotations

from typing import Iterable, List, Optional, Set

import pytest

from addons.clinical_extractor import MessageFindings
from clinical_nlp import ClinicalNLP
from triage.engine import fired_red_flags
from triage.table import Table


def assertions(nlp: ClinicalNLP, text: str, label: str) -> Set[str]:
    """How the message states ``label``: a set of "present", "absent", "family" ..."""
    return {m.assertion for m in nlp.analyse(text).mentions if m.label == label}


def flags(nlp: ClinicalNLP, table: Table, text: str) -> Set[str]:
    """Every red flag this message raises on its own."""
    analysis = nlp.analyse(text)
    said = MessageFindings(analysis.mentions, question=analysis.question)
    return {flag.id for flag in fired_red_flags(said.to_findings(), table)}


def present(label: str, texts: Iterable[str], family: Optional[str] = None) -> List[object]:
    """``(label, text)`` parameters, each named by its label (and family of wording) and text."""
    name = f"{label} ({family})" if family else label
    return [pytest.param(label, t, id=f"{name}: {t}") for t in texts]
