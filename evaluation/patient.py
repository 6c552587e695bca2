"""A simulated patient that answers the assistant's questions from a vignette's fact sheet.

The question is identified by the tracker's ``requested_slot`` (the finding or descriptor
the form asks for), not by parsing the bot's wording. Answers are phrased the way people
type: short, informal and varied. Choices are deterministic: the random generator is
seeded from the vignette id, so a rerun against the same assistant replays the same chat.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, Dict, List, Mapping, Sequence

from evaluation.vignettes import SCREEN_FINDINGS, SCREEN_SLOT, Vignette
from triage.contract import DESCRIPTORS, FINDINGS
from triage.table import load_table

# Descriptor questions that ask two things at once ("how long, and suddenly or gradually?").
ALSO_ASKS: Dict[str, tuple] = {slot: q.also_asks for slot, q in load_table().questions.items() if q.also_asks}

YES = ("yes", "yeah I do", "yep", "yes I have", "yeah")
NO = ("no", "nope not at all", "no I don't", "nah", "no, not that I've noticed")
UNSURE = ("I'm not sure", "I don't know", "not sure tbh", "no idea really")

# How a patient says that a finding is present, for the grouped screen and for some
# yes answers (the words a clinician would recognise, in lay terms).
DESCRIBE: Dict[str, str] = {
    "back_pain": "my lower back has been hurting",
    "leg_weakness": "my leg feels weak, like it might give way",
    "bladder_bowel_problems": "I've had trouble peeing and can't always tell when I need to go",
    "saddle_numbness": "it's numb around my bum and between my legs",
    "face_arm_speech_vision": "one side of my face drooped and my words came out slurred",
    "after_trauma": "it started after I had a fall",
    "cold_pale_or_blue_leg": "my foot has gone cold and pale, a bit bluish",
    "leg_swelling_warmth": "my calf is swollen and warm",
    "ascending_spread": "it started in my feet and it's creeping up my legs",
    "breathing_or_swallowing_difficulty": "I'm struggling to breathe properly",
    "fever": "I've had a temperature",
    "rash": "I've got a rash",
    "diabetes": "I'm diabetic",
    "heavy_alcohol": "I drink quite a lot",
    "vegan_or_b12_risk": "that applies to me",
    "smoker": "I smoke",
    "cancer_history": "I've had cancer",
    "recent_infection": "I had a bug recently",
    "chest_pain": "I've got pain in my chest",
    "trunk_numbness_level": "the numbness goes up to a line on my tummy",
    "position_related": "it comes on when I sit or kneel a certain way",
    "worse_walking_better_rest": "it gets worse when I walk and eases when I rest",
    "cold_triggers_colour_change": "my toes change colour in the cold",
    "autoimmune_disease": "I have an autoimmune condition",
    "vision_or_balance_episodes": "I've had spells of blurry vision and wobbliness before",
    "severe_leg_pain": "the pain in my leg is really bad",
}

SIDE = {
    "left": ("left", "the left one", "just my left side"),
    "right": ("right", "the right one", "right side"),
    "both": ("both", "both legs", "both sides"),
}
ONSET = {
    "sudden": ("it came on suddenly", "all of a sudden", "out of nowhere, really quick"),
    "gradual": ("gradually", "it crept up slowly", "slowly, bit by bit"),
}
PROGRESSION = {
    "worsening": ("getting worse", "it's getting worse tbh", "worse every day"),
    "stable": ("about the same", "it's stayed the same", "no change really"),
    "improving": ("getting better", "it's improving", "better than it was"),
    "comes_and_goes": ("it comes and goes", "on and off", "it comes and goes really"),
}
SEX = {
    "male": ("male", "I'm a man", "man"),
    "female": ("female", "I'm a woman", "woman"),
}
TEMPLATES = {
    "location": ("{}", "mainly {}", "it's {}"),
    "duration": ("{}", "{} I think", "it's been {}"),
    "pattern": ("{}", "well, {}"),
    "age": ("{}", "I'm {}", "{} years old"),
}


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], 16)


def bot_asked_question(messages: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the bot's last messages ask something (a question mark or buttons)."""
    for message in messages:
        if message.get("buttons"):
            return True
        if str(message.get("text") or "").rstrip().endswith("?"):
            return True
    return False


class SimulatedPatient:
    """Answers questions from one vignette's facts; a fact not listed is "not sure"."""

    def __init__(self, vignette: Vignette) -> None:
        self.vignette = vignette
        self._rng = random.Random(_seed(vignette.id))
        self.answered: List[str] = []

    def opening(self) -> str:
        """The first message."""
        return self.vignette.opening

    def answer(self, bot_messages: Sequence[Mapping[str, Any]], requested_slot: str | None) -> str | None:
        """The reply to the bot's last messages, or None when nothing was asked."""
        if requested_slot:
            self.answered.append(requested_slot)
            return self.answer_slot(requested_slot)
        if bot_asked_question(bot_messages):
            return self._pick(UNSURE)
        return None

    def answer_slot(self, slot: str) -> str:
        """The reply to a question that fills ``slot``."""
        own_words = self.vignette.answers.get(slot)
        if own_words:
            return own_words
        if slot == SCREEN_SLOT:
            return self._screen()
        if slot in FINDINGS:
            return self._yes_no(slot)
        if slot in DESCRIPTORS:
            return self._two_part(slot) if slot in ALSO_ASKS else self._descriptor(slot)
        return self._pick(UNSURE)

    def _two_part(self, slot: str) -> str:
        """Answer each part of a two-part question the sheet knows; "not sure" if none."""
        parts = [
            self._descriptor(name)
            for name in (slot, *ALSO_ASKS[slot])
            if isinstance(self.vignette.descriptor(name), str)
        ]
        return ", ".join(parts) if parts else self._pick(UNSURE)

    def _pick(self, options: Sequence[str]) -> str:
        return options[self._rng.randrange(len(options))]

    def _yes_no(self, finding: str) -> str:
        value = self.vignette.finding(finding)
        if value is None:
            return self._pick(UNSURE)
        if not value:
            return self._pick(NO)
        if self._rng.random() < 0.5:
            return f"{self._pick(('yes', 'yeah', 'yep'))}, {DESCRIBE[finding]}"
        return self._pick(YES)

    def _screen(self) -> str:
        values = {name: self.vignette.finding(name) for name in SCREEN_FINDINGS}
        present = [name for name, value in values.items() if value]
        if present:
            described = " and ".join(DESCRIBE[name] for name in present)
            return f"{self._pick(('yes', 'yeah', 'yes actually'))}, {described}"
        if all(value is False for value in values.values()):
            return self._pick(NO)
        return self._pick(UNSURE)

    def _descriptor(self, slot: str) -> str:
        value = self.vignette.descriptor(slot)
        if value is None or isinstance(value, bool):
            return self._pick(UNSURE)
        text = str(value)
        tables = {"side": SIDE, "onset": ONSET, "progression": PROGRESSION, "sex": SEX}
        if slot in tables:
            return self._pick(tables[slot].get(text, (text,)))
        return self._pick(TEMPLATES.get(slot, ("{}",))).format(text)
