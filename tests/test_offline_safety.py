"""The emergency reply does not depend on the action server.

Loads the trained model in-process with no action endpoint at all (as if the action
server were down) and checks that stroke and cauda equina messages still get their
emergency advice and set ``triage_level`` in the same turn.
"""

from __future__ import annotations

import pytest

from tests.conftest import MODEL, talk
from triage.table import load_table

pytestmark = pytest.mark.skipif(not MODEL.is_file(), reason="needs a trained model (make train)")


@pytest.mark.parametrize(
    "message,flag,level",
    [
        (
            "my face is drooping on one side and my left leg has gone numb",
            "stroke_tia",
            "emergency_ambulance",
        ),
        ("i've lost control of my bladder and my groin is numb", "cauda_equina", "emergency"),
    ],
)
def test_emergency_advice_without_action_server(agent, message, flag, level):
    table = load_table()
    result = talk(agent, message)
    assert result["slots"]["triage_level"] == level
    assert result["replies"], "the person got an answer"
    assert result["replies"][0] == table.red_flags[result["slots"]["red_flag"]].advice
    assert result["slots"]["red_flag"] == flag


def test_negated_red_flags_do_not_raise_the_alarm(agent):
    result = talk(agent, "my right foot tingles, no bladder problems and no numbness down below")
    assert result["slots"]["triage_level"] is None
    assert result["slots"]["bladder_bowel_problems"] is False


def test_family_history_does_not_raise_the_alarm(agent):
    result = talk(agent, "my dad had a stroke last year and now my feet are numb")
    assert result["slots"]["triage_level"] is None
    assert result["slots"]["face_arm_speech_vision"] is None
