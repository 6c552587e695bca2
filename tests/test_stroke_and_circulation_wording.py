"""Stroke, blocked-artery, clot and foot-drop signs in everyday words, read in the message said.

Families of lay, regional (Scots, Irish, Caribbean, Nigerian, Indian, Australian English) and
misspelt wordings for the findings behind the stroke, acute limb ischaemia, DVT, breathing and
worsening-weakness flags: a curtain coming down over an eye, a mouth pulled to one side, a face
gone squint, one hand dropping things, words mushed up, sudden drunk-like walking, a leg gone
"stane cold", chalky white or drained of colour, a leg "swole up", "strugglin tae breathe", a foot
that drags or scuffs. Each family also has look-alikes that must not read as the sign (a pulled
face, bedroom curtains, a dropped phone, a numb lip from the dentist, dragging one's feet about
the GP, legs gone to jelly at a bill), and the same signs denied, asked about, long past or said
of a relative's history. What each sign is comes from shared/spec/red-flags.md and the seeds; the
wordings are written for this test. Every message goes through ``clinical_nlp`` and the triage
engine, exactly as in the assistant.
"""

from __future__ import annotations

import pytest

from tests.wording import assertions, flags, present

FAST = "face_arm_speech_vision"
COLD = "cold_pale_or_blue_leg"
SWELL = "leg_swelling_warmth"
BREATH = "breathing_or_swallowing_difficulty"
WEAK = "leg_weakness"

# ------------------------------------------------------------------ stroke signs (FAST / BE-FAST)

# A grey curtain, shade, veil or blind coming down over an eye.
CURTAIN_OVER_AN_EYE = [
    "a dark curtain came across the vision in my left eye about an hour ago",
    "like a blind coming down over his right eye, then it lifted",
    "it was like a black shade got pulled down across one eye",
]

# The mouth or face pulled, shifted or dragged to one side.
MOUTH_TO_ONE_SIDE = [
    "her mouth's gone over to the left since lunch and her foot is numb",
    "my smile is pulling to the right",
    "my husband's mouth is dragging to one side",
]

# A face gone crooked, in Scots and other English.
FACE_GONE_SQUINT = [
    "his mooth's gone aw skew since teatime",
    "her face went all lopsided just now",
    "my gob's gone pure squint",
]

# One side of the mouth that will not move, a drink running out of it.
MOUTH_WONT_MOVE = [
    "the left side of my mouth won't move",
    "my cuppa dribbles out when I try to drink",
    "his lip won't move on one side and tea is pouring out the side of his mouth",
]

# Half the lip, mouth or face numb, thick or dead.
HALF_THE_FACE_NUMB = [
    "half my mouth feels thick and numb since lunchtime",
    "one side of my face has gone dead and tingly",
    "left side of my lip is fat and numb",
]

# One arm like a dead weight.
ARM_LIKE_LEAD = [
    "my left arm feels like a bag of cement",
    "dad's hand is a dead weight since breakfast",
    "her right arm is like a block of concrete",
]

# One hand dropping what it holds.
DROPPING_FROM_ONE_HAND = [
    "she keeps dropping things out of her right hand since this afternoon",
    "the cup just fell out of my left hand and my leg is numb",
    "can't hold a mug in my right hand all of a sudden",
]

# Words mushed, slushy or as if the mouth were full.
WORDS_MUSHED = [
    "her speech is all mushy and slow",
    "his words are coming out slushy",
    "she's talking like she has a mouthful of marbles in her mouth",
]

# Talking said to have become hard.
TALKING_GETTING_HARD = [
    "talking is getting hard",
    "speaking has become a real struggle",
    "my speech is getting slurred",
]

# Cannot see out of an eye, asked or in other Englishes.
CANT_SEE_OUT_OF_AN_EYE = [
    "why can't he see out of his right eye",
    "ah cannae see oot o ma left ee",
    "mi cyaan see outta mi right eye since morning",
]

# Suddenly walking as if drunk, or unsteady with how suddenly it came.
SUDDENLY_UNSTEADY = [
    "suddenly I'm staggering like I'm drunk and I haven't touched a drop",
    "went all wobbly an hour ago, came on all of a sudden",
    "I've been dizzy since lunch, it came on out of nowhere",
]

# ------------------------------------------------------------------ a blocked leg artery

# Cold said strongly, then a colour.
COLD_AS_ANYTHING_AND_WHITE = [
    "my foot's freezing as hell and gone grey",
    "it's cold as owt an white",
    "toes cold and chalky white",
]

# Stone cold in Scots.
STANE_COLD = [
    "ma foot's gone stane cold",
    "her leg's went stane cold an blue",
    "my leg is milky white and numb",
]

# The colour drained out of it.
COLOUR_DRAINED = [
    "all the colour's gone from my foot",
    "my leg has lost all its colour",
    "the colour has drained out of my toes",
    "foot has gone a ghostly white",
]

# ------------------------------------------------------------------ a leg clot, breathing, foot drop

# Swollen, as written in a hurry or in other Englishes.
SWOLE_UP = [
    "my ankle swole up overnight",
    "left calf swolen and hot",
    "leg swole on one side",
]

# Out of breath in Scots and Caribbean English.
STRUGGLIN_TAE_BREATHE = [
    "ah'm strugglin tae get ma breath",
    "mi cyaan ketch mi breath",
    "he's oot o breath just sitting in his chair",
]

# A foot or leg that drags, trails or scuffs when walking.
FOOT_DRAGS = [
    "her right leg keeps trailing when she walks",
    "my foot's started scuffing when I walk",
    "his leg is dragging more each day",
]

# What is looked at has suddenly changed: gone double, blurry or dark.
THINGS_GONE_DOUBLE = [
    "the telly's gone all blurry all of a sudden",
    "the words on my phone went double about an hour ago",
    "there's two of everyone in the room",
]

# Twice the size, with other words between the leg and the size.
TWICE_THE_SIZE = [
    "her left calf is hot and about twice the size of her right",
    "my ankle is swollen up, shiny and double the size of the other",
]

# Breathless at the least effort: a few steps indoors, or at rest.
PUFFED_AT_THE_LEAST_EFFORT = [
    "i'm winded just walking to the bathroom",
    "he gets out of breath getting to his chair",
    "puffed out just sitting here talking to you",
]


@pytest.mark.parametrize(
    "label,text",
    present(FAST, THINGS_GONE_DOUBLE)
    + present(SWELL, TWICE_THE_SIZE)
    + present(BREATH, PUFFED_AT_THE_LEAST_EFFORT)
    + present(FAST, CURTAIN_OVER_AN_EYE)
    + present(FAST, MOUTH_TO_ONE_SIDE)
    + present(FAST, FACE_GONE_SQUINT)
    + present(FAST, MOUTH_WONT_MOVE)
    + present(FAST, HALF_THE_FACE_NUMB)
    + present(FAST, ARM_LIKE_LEAD)
    + present(FAST, DROPPING_FROM_ONE_HAND)
    + present(FAST, WORDS_MUSHED)
    + present(FAST, TALKING_GETTING_HARD)
    + present(FAST, CANT_SEE_OUT_OF_AN_EYE)
    + present(FAST, SUDDENLY_UNSTEADY)
    + present(COLD, COLD_AS_ANYTHING_AND_WHITE)
    + present(COLD, STANE_COLD)
    + present(COLD, COLOUR_DRAINED)
    + present(SWELL, SWOLE_UP)
    + present(BREATH, STRUGGLIN_TAE_BREATHE)
    + present(WEAK, FOOT_DRAGS),
)
def test_everyday_wording_reads_as_the_finding_present(nlp, label, text):
    assert "present" in assertions(nlp, text, label)


FLAGS = [
    ("stroke_tia", "a grey veil came down over my left eye ten minutes ago"),
    ("stroke_tia", "her mouth is pulling to the left and her words are all mushed"),
    ("stroke_tia", "my right arm feels like a lump of lead and my foot is numb"),
    ("stroke_tia", "ah cannae see oot o ma right ee and ma leg's numb"),
    ("acute_limb_ischaemia", "my foot is numb, cold as anything and chalky white"),
    ("acute_limb_ischaemia", "the colour has drained out of my foot and it's numb"),
    ("deep_vein_thrombosis", "my calf swole up on one side and it's hot"),
    ("worsening_weakness", "my right foot keeps scuffing the ground and it's getting worse"),
    ("stroke_tia", "the telly went double on me twenty minutes ago and my leg feels funny"),
    ("pulmonary_embolism", "she's breathless just going to the toilet and her calf is swollen"),
]


@pytest.mark.parametrize("flag,text", FLAGS, ids=[f"{f}: {t}" for f, t in FLAGS])
def test_red_flag_fires_in_the_message_it_is_said(nlp, table, flag, text):
    assert flag in flags(nlp, table, text)


def test_a_drink_running_out_of_the_mouth_is_not_a_bladder_problem(nlp, table):
    text = "this morning the left side of her mouth won't move and water dribbles out when she drinks"
    assert "present" in assertions(nlp, text, FAST)
    assert "present" not in assertions(nlp, text, "bladder_bowel_problems")
    assert "cauda_equina" not in flags(nlp, table, text)


def test_wee_that_dribbles_is_still_a_bladder_problem_not_a_stroke(nlp):
    text = "wee dribbles out when I stand up"
    assert "present" not in assertions(nlp, text, FAST)


# ------------------------------------------------------------------ look-alikes: not the sign

LOOK_ALIKES = [
    (FAST, "I pulled a face when the nurse said I needed bloods"),
    (FAST, "I closed the curtains in my bedroom and my feet still tingle"),
    (FAST, "the blinds in my office hurt my eyes, and my toes are numb"),
    (FAST, "dropped my phone on my foot and now my toe is numb"),
    (FAST, "I keep dropping things, my hands are clumsy with the cold"),
    (FAST, "my dog keeps dropping his ball, my feet are numb"),
    (FAST, "my lip feels fat and numb after the dentist"),
    (FAST, "one side of my lip is numb after my filling this morning"),
    (FAST, "my arms feel like lead after the gym"),
    (FAST, "I was walking like I was drunk for months, it's slow and gradual"),
    (FAST, "I spat my tea out laughing"),
    (FAST, "she can't see out of her glasses, they're dirty"),
    (FAST, "the water dribbles out when I pee"),
    (FAST, "talking is hard on the phone with my job"),
    (COLD, "the colour drained from my face when the GP said nerve damage, my feet tingle"),
    (COLD, "it's cold as anything outside and my feet tingle"),
    (COLD, "my feet are cold as anything in winter but they're pink"),
    (SWELL, "getting swole at the gym, and my toes go numb"),
    (SWELL, "my legs are swole from leg day, feet tingly"),
    (BREATH, "I couldn't breathe for laughing at the vet's bill"),
    (BREATH, "my boss keeps breathing down my neck and my feet tingle"),
    (BREATH, "coughing up phlegm for a week and my feet tingle"),
    (BREATH, "I get puffed out running for the bus, my toes are numb"),
    (FAST, "my new glasses make everything look blurry at the edges, and my feet tingle"),
    (WEAK, "I've been dragging my feet about booking the GP, toes numb for months"),
    (WEAK, "the leg of my jeans drags on the ground"),
    (WEAK, "went weak at the knees when he smiled lol, feet tingle"),
    (WEAK, "my legs went to jelly when I heard the news, anyway my toes are numb"),
]


@pytest.mark.parametrize("label,text", LOOK_ALIKES, ids=[f"{lab}: {t}" for lab, t in LOOK_ALIKES])
def test_look_alike_wording_is_not_the_finding(nlp, label, text):
    assert "present" not in assertions(nlp, text, label)


# ------------------------------------------------------------------ denied, asked, past, family

NOT_PRESENT = [
    (FAST, "no drooping, my mouth isn't pulled to one side"),
    (FAST, "is it a stroke if your mouth pulls to one side?"),
    (FAST, "my dad had a stroke and his mouth went to one side"),
    (FAST, "years ago a grey curtain came down over my eye for a day"),
    (FAST, "I can see out of my left eye fine"),
    (FAST, "her words are coming out fine"),
    (FAST, "my words are not slurred"),
    (WEAK, "my foot isn't dragging and I can walk on my heels"),
    (SWELL, "my leg isn't swollen"),
]


@pytest.mark.parametrize("label,text", NOT_PRESENT, ids=[f"{lab}: {t}" for lab, t in NOT_PRESENT])
def test_denied_asked_past_or_family_signs_are_not_present(nlp, label, text):
    assert "present" not in assertions(nlp, text, label)


@pytest.mark.parametrize(
    "text",
    [
        "my grandad had a stroke, his mouth went to one side",
        "is it a stroke if your mouth pulls to one side?",
        "would I need an ambulance if a curtain came down over my eye?",
    ],
)
def test_a_strokes_sign_in_history_or_a_question_raises_no_stroke_flag(nlp, table, text):
    assert "stroke_tia" not in flags(nlp, table, text)
