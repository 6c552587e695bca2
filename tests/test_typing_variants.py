"""Probe messages retyped the way people chat keep their reading (``evaluation/typing_variants.py``):
every red flag survives, and no harmless message starts an alarm."""

from __future__ import annotations

import pytest

from addons.clinical_extractor import read_message
from addons.sanitizer import sanitize
from evaluation.typing_variants import VARIANTS, lost, new_alarms, probe_messages

# A typing slip is mended only within the corrector's reach (one edit from 5 letters, two from 8,
# nearest lexicon word); those counts are reported too.
REPORTED_ONLY = {"a letter dropped", "two letters swapped", "a letter doubled"}
GATED = [name for name in VARIANTS if name not in REPORTED_ONLY]
# Retyped messages known to change their reading, each by design or a rare wording:
KNOWN = {
    # "the wee one" is a child in Scots unless a comma makes it an answer about weeing
    # (lexicon/findings/bladder_bowel_problems.yml).
    ("lower case, no punctuation", "the wee one it's been hard to get going since thursday"),
    # Without its comma "can't" reaches into the next clause: "i can't whistle anymore water
    # dribbles out the side of my mouth" (the comma ends the short negation).
    ("lower case, no punctuation", "i can't whistle anymore water dribbles out the side of my mouth"),
    # An ellipsis ends the sentence that holds the date, so "face droop for 10 minutes" is read as
    # now (over-triage): "Back in March 2021 I had a TIA... face droop for 10 minutes...".
    ("ellipsis for commas", "Back in March 2021 I had a TIA... face droop for 10 minutes..."),
    # A statement before the question ("I'm 58 and diabetic.") makes the whole message a report, so
    # the cancer it asks about reads as the writer's (over-triage).
    (
        "own age and condition before",
        "I'm 58 and diabetic. is it possible that tingly feet means cancer in the spine??",
    ),
}
MESSAGES = probe_messages()


@pytest.fixture(scope="module")
def reader(nlp, table):
    return lambda text: read_message(nlp, table, sanitize(text))


def test_the_probes_hold_red_flag_and_harmless_messages():
    assert sum(expect != "none" for _, expect in MESSAGES) > 300
    assert sum(expect == "none" for _, expect in MESSAGES) > 200


def _unknown(name, texts):
    return [t for t in texts if not any(n == name and t.startswith(k) for n, k in KNOWN)]


@pytest.mark.parametrize("name", GATED)
def test_a_red_flag_survives_chat_typing(reader, name):
    assert _unknown(name, [text for text, _ in lost(reader, MESSAGES, VARIANTS[name])]) == []


@pytest.mark.parametrize("name", GATED)
def test_chat_typing_raises_no_new_alarm(reader, name):
    assert _unknown(name, new_alarms(reader, MESSAGES, VARIANTS[name])) == []


@pytest.mark.parametrize("name,text", sorted(KNOWN))
def test_a_known_change_is_still_there(reader, name, text):
    # A fixed one is taken off the list.
    changed = [t for t, _ in lost(reader, MESSAGES, VARIANTS[name])] + new_alarms(
        reader, MESSAGES, VARIANTS[name]
    )
    assert any(t.startswith(text) for t in changed)
