"""Reads a free-text location as a clinician would: which pattern the numbness follows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Tuple

_FOOT = r"(foot|feet|toe|toes|sole|soles|heel|heels|ankle|ankles|instep|arch)"


@dataclass(frozen=True)
class LocationPattern:
    """The pattern id (``triage.contract.LOCATION_PATTERNS``) and any side the words imply."""

    name: str
    implied_side: str | None = None


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


_RULES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (
        "hemibody",
        (
            r"\b(whole|entire|all (of )?(my|the))\s+(left|right)\s+side\b",
            r"\b(left|right) side of (my|the) (body|face)\b",
            r"\b(arm|hand|face)\b.*\b(leg|foot)\b",
            r"\b(leg|foot)\b.*\b(arm|hand|face)\b",
        ),
    ),
    (
        "patchy",
        (r"\bpatch(es|y)?\b", r"\b(moves|moving|changes|different) (around|places|spots)\b", r"\bspots?\b"),
    ),
    (
        "stocking",
        (
            r"\bboth (feet|soles|legs|ankles)\b.*\b(up|rising|creep|spread|shin|ankle|calf|knee)",
            r"\b(stocking|sock|socks|glove)\b",
            r"\bfeet\b.*\b(up|rising|creeping|spreading|shins?|ankles|calves)\b",
            r"\bboth feet\b",
            r"\b(soles of (my|both) feet|my feet|the feet|feet)\b",
        ),
    ),
    (
        "radicular",
        (
            r"\b(back|buttock|bum|butt|hip)\b.*\b(leg|thigh|calf|shin|foot|toes?)\b",
            r"\bdown (the|my) (back|side|outside|front) of (my|the) (leg|thigh)\b",
            r"\b(shoots?|shooting|radiat\w*|runs?|running) down\b",
            r"\b(outer|outside|side of) (my |the )?(shin|calf|thigh|leg)\b",
            # The outer edge of the foot: a nerve-root area (seed 001: "follow nerve pathways").
            r"\b(outer|outside) (edge|side|border)s? of (my |the )?(left |right )?(foot|feet)\b",
        ),
    ),
    ("tarsal", (r"\b(sole|inside of (my|the) ankle|inner ankle|arch|heel)\b",)),
    (
        "toes_only",
        (
            r"^\W*(my |the |both |all )?(big |little )?(toe|toes)\W*$",
            r"\bjust (my |the )?toes\b",
            r"\bonly (my |the )?toes\b",
        ),
    ),
    ("whole_leg", (r"\b(whole|entire|all of (my|the)) (left |right )?leg\b", r"\bwhole leg\b")),
)


def classify_location(location: str | None, side: str | None = None) -> LocationPattern:
    """Classify ``location`` (free text) into a pattern, using ``side`` when known.

    Words that name one side ("left foot") or both ("both feet", "feet") imply a side,
    returned so the engine can use it when the side slot is still empty.
    """
    if not location:
        return LocationPattern("unclassified")
    text = location.lower()
    implied: str | None = None
    if _has(text, r"\bboth\b", r"\b(feet|legs|soles|ankles|calves|shins)\b") and not _has(
        text, r"\b(left|right)\b"
    ):
        implied = "both"
    elif _has(text, r"\bleft\b") and not _has(text, r"\bright\b"):
        implied = "left"
    elif _has(text, r"\bright\b") and not _has(text, r"\bleft\b"):
        implied = "right"
    effective_side = side or implied
    for name, patterns in _RULES:
        if not _has(text, *patterns):
            continue
        if name == "stocking" and effective_side in ("left", "right"):
            continue  # a stocking pattern is symmetrical by definition
        if name == "tarsal" and effective_side == "both":
            continue
        if name == "tarsal" and not re.search(_FOOT, text):
            continue
        return LocationPattern(name, implied)
    if re.search(_FOOT, text) and effective_side == "both":
        return LocationPattern("stocking", implied)
    if effective_side in ("left", "right") and re.search(r"\b(shin|calf|thigh|buttock|outer)\b", text):
        # one leg along a strip (shin and foot, calf): the seeds' disc/nerve-root picture
        return LocationPattern("radicular", implied)
    return LocationPattern("unclassified", implied)
