"""The red-flag probes retyped the way people type in a chat box: does every flag survive?

Each probe message that raises its level as written is rewritten by every variant below
(apostrophes left out, text-speak, line breaks, an ellipsis, shouting, doubled spaces ...) and read
again exactly as the assistant reads one message. A variant that loses a flag is a wording gap
that no new writer was needed to find.

    python -m evaluation.typing_variants        # per variant: messages that lost their flag
"""

from __future__ import annotations

import argparse
import random
import re
import zlib
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import yaml

from evaluation import REPO_ROOT

PROBES: Tuple[Path, ...] = tuple(sorted((REPO_ROOT / "tests" / "probes").glob("red_flag_probe*.yml")))
RANK = {"none": 0, "urgent": 1, "emergency": 2, "emergency_ambulance": 3}


def _txt_speak(text: str) -> str:
    for word, short in (("to", "2"), ("are", "r"), ("and", "&"), ("you", "u")):
        text = re.sub(rf"\b{word}\b", short, text)
    return text


def _typo(kind: str) -> Callable[[str], str]:
    """One slip in one word of 6+ letters, the same for a message on every run."""

    def slip(text: str) -> str:
        words = list(re.finditer(r"[A-Za-z]{6,}", text))
        if not words:
            return text
        rnd = random.Random(zlib.crc32(text.encode("utf-8")))
        m = rnd.choice(words)
        w, i = m.group(0), rnd.randrange(1, len(m.group(0)) - 2)
        slipped = {
            "swap": w[:i] + w[i + 1] + w[i] + w[i + 2 :],
            "drop": w[:i] + w[i + 1 :],
            "double": w[:i] + w[i] + w[i:],
        }[kind]
        return text[: m.start()] + slipped + text[m.end() :]

    return slip


VARIANTS: Dict[str, Callable[[str], str]] = {
    "no apostrophes": lambda t: t.replace("'", "").replace("’", ""),
    "lower case, no punctuation": lambda t: re.sub(r"[.,!?;:]", "", t.lower()),
    "all capitals": str.upper,
    "doubled spaces": lambda t: t.replace(" ", "  "),
    "text-speak (2, r, &, u)": _txt_speak,
    "a line per clause": lambda t: re.sub(r"([.,]) ", r"\1\n", t),
    "no space after punctuation": lambda t: re.sub(r"([.,]) ", r"\1", t),
    "emoji after": lambda t: t + " 😩😩",
    "a greeting before": lambda t: "hi there, " + t[:1].lower() + t[1:],
    "please help before": lambda t: "please help " + t[:1].lower() + t[1:],
    "own age and condition before": lambda t: "I'm 58 and diabetic. " + t,
    "a worry after": lambda t: t.rstrip(" .") + ". should I be worried?",
    "ellipsis for commas": lambda t: re.sub(r"[.,] ", "... ", t),
    # One typing slip per message: the spelling corrector's reach (reported, not gated).
    "a letter dropped": _typo("drop"),
    "two letters swapped": _typo("swap"),
    "a letter doubled": _typo("double"),
}


def probe_messages(paths: Sequence[Path] = PROBES) -> List[Tuple[str, str]]:
    """``(text, lowest level it must raise)`` for every probe message ("none": must raise nothing)."""
    out = []
    for path in paths:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((entry["text"], entry["expect"]))
    return out


def level(reader: Callable[[str], object], text: str) -> str:
    """The level the message raises on its own ("none" for no red flag)."""
    flag = getattr(reader(text), "red_flag", None)
    return flag.level.value if flag is not None else "none"


def lost(
    reader: Callable[[str], object], messages: Sequence[Tuple[str, str]], variant: Callable[[str], str]
) -> List[Tuple[str, str]]:
    """Messages raising their level as written whose variant no longer does: ``(variant text, level)``."""
    return [
        (variant(text), expect)
        for text, expect in messages
        if expect != "none"
        and RANK[level(reader, text)] >= RANK[expect]
        and RANK[level(reader, variant(text))] < RANK[expect]
    ]


def new_alarms(
    reader: Callable[[str], object], messages: Sequence[Tuple[str, str]], variant: Callable[[str], str]
) -> List[str]:
    """Harmless messages quiet as written whose variant raises a flag (the variant texts)."""
    return [
        variant(text)
        for text, expect in messages
        if expect == "none" and level(reader, text) == "none" and level(reader, variant(text)) != "none"
    ]


def chat_reader() -> Callable[[str], object]:
    """Read one message as the assistant does: sanitized, then ``read_message``."""
    from addons.clinical_extractor import read_message
    from addons.sanitizer import sanitize
    from clinical_nlp import get_nlp
    from triage.table import load_table

    nlp, table = get_nlp(), load_table()
    return lambda text: read_message(nlp, table, sanitize(text))


def main(argv: Sequence[str] = ()) -> None:
    """Print, per variant, how many raised messages lost their flag, with a few examples."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args(list(argv) or None)

    import logging

    logging.disable(logging.WARNING)
    reader = chat_reader()
    messages = probe_messages()
    must = [(t, x) for t, x in messages if x != "none"]
    raised = sum(RANK[level(reader, t)] >= RANK[x] for t, x in must)
    quiet = sum(level(reader, t) == "none" for t, x in messages if x == "none")
    print(f"must raise: {len(must)}, raised as written: {raised}; harmless quiet as written: {quiet}")
    for name, variant in VARIANTS.items():
        gone, alarms = lost(reader, messages, variant), new_alarms(reader, messages, variant)
        print(f"{name:28s} lost {len(gone):3d} of {raised}, new false alarms {len(alarms):3d} of {quiet}")
        for text, expect in gone[: args.examples]:
            print(f"    lost {expect:20s} {text[:100]!r}")
        for text in alarms[: args.examples]:
            print(f"    alarm {text[:120]!r}")


if __name__ == "__main__":
    main()
