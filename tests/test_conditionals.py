"""A sign imagined in a condition put to the assistant is not reported; a loose "if" report still is."""

from __future__ import annotations

import pytest

from addons.clinical_extractor import read_message
from tests.wording import assertions, flags

# Second conditionals and "ever": what would follow if the sign came, asked of the assistant.
IMAGINED = [
    (
        "cold_pale_or_blue_leg",
        "if my foot turned white and icy, how soon would i need a doctor? it just tingles now",
    ),
    ("after_trauma", "If I slipped on the ice and hurt my back, would numb legs mean an emergency?"),
    ("bladder_bowel_problems", "if i ever lost control of my bladder what happens then? my toes are numb"),
    ("chest_pain", "what if I got chest pain with this tingling, would you send an ambulance?"),
    (
        "breathing_or_swallowing_difficulty",
        "if the tingling were to spread and my breathing got hard, would I ring 999?",
    ),
    ("saddle_numbness", "if my bum went numb too would that change things? only my foot tingles"),
]

# The same shapes used loosely for what is happening now: still a red flag.
STILL_REPORTED = [
    ("cauda_equina", "If I try to wee nothing comes out and my bottom is numb, what should I do"),
    (
        "cauda_equina",
        "if i tried to pee nothing came out, is that bad? both legs numb and my back is killing me",
    ),
    ("acute_limb_ischaemia", "my leg went cold and white an hour ago, how fast should I get help?"),
    ("stroke_tia", "my face dropped on one side and my leg went numb, would that be a stroke?"),
]


@pytest.mark.parametrize("label,text", IMAGINED, ids=[f"{lab}: {t}" for lab, t in IMAGINED])
def test_an_imagined_sign_raises_no_flag(nlp, table, label, text):
    assert "present" not in assertions(nlp, text, label)
    assert "hypothetical" in assertions(nlp, text, label)
    assert read_message(nlp, table, text).red_flag is None


@pytest.mark.parametrize("flag,text", STILL_REPORTED, ids=[f"{f}: {t}" for f, t in STILL_REPORTED])
def test_a_sign_told_loosely_or_asked_about_still_raises_its_flag(nlp, table, flag, text):
    assert flag in flags(nlp, table, text)
    assert read_message(nlp, table, text).red_flag is not None
