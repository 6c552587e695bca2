"""Spine and spread signs in everyday words: read in the very message they are said in.

Saddle numbness, bladder or bowel trouble, numbness climbing from the feet and numbness up to a
level on the trunk, each in the lay, regional (Scots, Irish, Caribbean, Nigerian, Indian,
Australian) and misspelt ways people type them, grouped by family of expression; and the
look-alikes of each family (a numb bum from a bike seat, a child wetting himself, water up to the
knees, going up the stairs, a sock line) together with denials, worries and relatives' histories,
which must not read as present. What each sign is comes from shared/spec/red-flags.md and the
seeds; the wordings are written for this test. Every message goes through ``clinical_nlp`` and
the triage engine, exactly as in the assistant.
"""

from __future__ import annotations

import pytest

from addons.clinical_extractor import read_message
from tests.wording import assertions, flags, present

# ------------------------------------------------------------------ saddle numbness

# Down there / down below said first, then how it feels.
SADDLE_DOWN_BELOW = [
    "down there has gone all dead since yesterday",
    "down below is a bit numb when I dry myself",
    "downstairs is numb, if you know what I mean",
    "down dere feel numb",
]

# Not felt when washing, showering or drying.
SADDLE_WASHING = [
    "when I wash down there I can't feel a thing",
    "can't feel the flannel when I wash my bits",
    "he says he cant feel the sponge when he washes down below",
]

# Private parts, privates, crotch, genitals, bits: not felt, with a pronoun or a hedge.
SADDLE_PRIVATES = [
    "she can't really feel her bum at all",
    "couldnt hardly feel me privates in the bath",
    "I can't properly feel my crotch",
    "my fella says he can't feel his bits",
]

# The toilet seat feels like nothing, sitting on air.
SADDLE_SEAT = [
    "the loo seat feels like nothing",
    "it's like I'm sat on air when I'm on the toilet",
    "feels like sitting on nothing when I'm on the bog",
    "can't really feel the toilet seat",
]

# Two saddle parts or the inner thighs, with words between them and the numbness.
SADDLE_PARTS = [
    "numbness down the inside of my thighs and round my bum",
    "my groin and the inside of my thighs have gone dead",
    "inside of me thighs is gone numb",
    "bum and the bit in between has gone numb",
]


# ------------------------------------------------------------------ bladder and bowels

# Standing at the toilet and nothing comes; bursting but can't go; slow to get going.
BLADDER_NOTHING_COMES = [
    "I sit on the loo for ages and nothing happens even though I need a wee",
    "bursting for a pee but nothing comes out",
    "desperate for a wee and I can't go",
    "busting for a slash but it won't come",
    "my pee takes ages to get going now",
    "the pee one - it's so slow to get started",
    "dying to go, stood at the urinal and nothing came",
]

# The bladder's fullness is not felt.
BLADDER_FULLNESS = [
    "no idea if my bladder is full anymore",
    "I don't know when my bladder is full",
    "cant tell if me bladder's full",
    "I can't feel my bladder filling up",
]

# Wetting, soiling or leaking without noticing, said of oneself or someone else.
BLADDER_SOILING = [
    "she's wet herself twice today and didn't notice",
    "he keeps messing himself",
    "my husband keeps soiling himself without realising",
    "wee comes out without me knowing",
    "I just leak now",
    "passing motion without knowing",
]

# Regional ways of saying it.
BLADDER_REGIONAL = [
    "I no fit piss since yesterday",
    "mi cyaan pee from morning",
    "urine is not coming properly since 2 days",
    "I cannae hold ma water",
]


# ------------------------------------------------------------------ climbing from the feet

# Started in the feet, then a day or "by today", then where it has got to.
# No wee for a stretch of time, however much is drunk.
BLADDER_NONE_SINCE = [
    "I've not peed since breakfast and it's teatime now",
    "she hasn't been for a wee in over a day",
    "havent had a pee for 24 hours",
]

# The seat area not felt as one's own.
SADDLE_NOT_MINE = [
    "my backside feels like somebody else's",
    "down below doesn't feel like mine anymore",
]

SPREAD_FEET_THEN_NOW = [
    "my toes went tingly on wednesday and today it's in my knees",
    "it began in my feet on the weekend, now its reached my thighs",
    "pins n needles in both feet since tues, now its up to my calfs",
    "feet went funny sunday and by this morning it's up past my knees",
    "his toes were tingly on monday and now it's in his thighs",
]

# A little higher every day.
SPREAD_HIGHER_EACH_DAY = [
    "the numbness is inching up a bit each day",
    "pins and needles in my feet, it's getting higher every day",
    "the tingling creeps higher by the hour",
]

# Indian English "till" / "upto".
SPREAD_TILL = [
    "numbness started from feet, it has spread till the knees",
    "tingling reached upto my thighs",
    "it came till knees in two days",
]

# The new place going weak or numb, or the arms since a time.
SPREAD_NEW_PLACE = [
    "my soles went numb after the flu, now my legs are going weak",
    "started in my toes on friday, now my hands are getting numb",
    "since last night it's in my hands as well",
]


# ------------------------------------------------------------------ a level on the trunk

# Up to a level on the trunk, said of "it".
LEVEL_UP_TO = [
    "the numbness has come up as far as my belly button",
    "it's right up to my nipples now",
    "yeah its up to just below me ribs",
]

# Below a line.
LEVEL_BELOW_A_LINE = [
    "when I prod my belly I can't feel a thing below this line",
    "it's numb below a clear line across my stomach",
    "can't feel anything below a certain level on my chest",
]

# Below the chest or waist, with a pronoun.
LEVEL_BELOW_PART = [
    "he can't really feel anything below his waist",
    "she cannae feel anything under her ribs",
    "I can't feel nothing below my belly button",
]

# Numb trousers, tights or a wetsuit up to the waist or chest.
LEVEL_TROUSERS = [
    "feels like I've got a wetsuit on that goes up to my chest",
    "numb tights feeling, both legs",
    "like wearing numb leggings all the way up to my waist",
]


@pytest.mark.parametrize(
    "label,text",
    present("saddle_numbness", SADDLE_DOWN_BELOW, "down below")
    + present("saddle_numbness", SADDLE_WASHING, "washing")
    + present("saddle_numbness", SADDLE_PRIVATES, "privates")
    + present("saddle_numbness", SADDLE_SEAT, "seat")
    + present("saddle_numbness", SADDLE_PARTS, "parts")
    + present("bladder_bowel_problems", BLADDER_NOTHING_COMES, "nothing comes")
    + present("bladder_bowel_problems", BLADDER_FULLNESS, "fullness")
    + present("bladder_bowel_problems", BLADDER_SOILING, "soiling")
    + present("bladder_bowel_problems", BLADDER_REGIONAL, "regional")
    + present("bladder_bowel_problems", BLADDER_NONE_SINCE, "none since")
    + present("saddle_numbness", SADDLE_NOT_MINE, "not mine")
    + present("ascending_spread", SPREAD_FEET_THEN_NOW, "feet then now")
    + present("ascending_spread", SPREAD_HIGHER_EACH_DAY, "higher each day")
    + present("ascending_spread", SPREAD_TILL, "till")
    + present("ascending_spread", SPREAD_NEW_PLACE, "new place")
    + present("trunk_numbness_level", LEVEL_UP_TO, "up to")
    + present("trunk_numbness_level", LEVEL_BELOW_A_LINE, "below a line")
    + present("trunk_numbness_level", LEVEL_BELOW_PART, "below a part")
    + present("trunk_numbness_level", LEVEL_TROUSERS, "trousers"),
)
def test_lay_wording_reads_as_the_finding_present(nlp, label, text):
    assert "present" in assertions(nlp, text, label)


# ------------------------------------------------------------------ look-alikes, denials, worries, histories

NOT_PRESENT = [
    # Pressure from sitting, and the foot's own "bottom" and "balls".
    ("saddle_numbness", "numb bum from the bike seat after a long ride"),
    ("saddle_numbness", "I can't feel the bottom of my feet"),
    ("saddle_numbness", "can't really feel the balls of my feet"),
    ("saddle_numbness", "I went downstairs and my foot was numb"),
    ("saddle_numbness", "she's down there in the kitchen and her feet are numb"),
    ("saddle_numbness", "I can't feel my feet when I wash them"),
    ("saddle_numbness", "the chair seat is hard and my legs go numb"),
    ("saddle_numbness", "no, I can still feel my privates fine when I wash"),
    ("saddle_numbness", "what if down there goes numb?"),
    ("saddle_numbness", "my dad couldn't feel his privates after his op years ago"),
    # Getting going, a Scots "wee one", small children, roofs and taps.
    ("bladder_bowel_problems", "my wee one's been hard to get going in the mornings"),
    ("bladder_bowel_problems", "it's hard to get going in the mornings with these numb feet"),
    ("bladder_bowel_problems", "my wee lad is hard to get going and my feet tingle"),
    ("bladder_bowel_problems", "potty training my son, he wet himself again"),
    ("bladder_bowel_problems", "the toddler just wet herself"),
    ("bladder_bowel_problems", "the roof leaks and my feet are numb"),
    ("bladder_bowel_problems", "the tap just dribbles"),
    ("bladder_bowel_problems", "I'm bursting for a wee and I can go fine"),
    ("bladder_bowel_problems", "I can tell when my bladder is full"),
    ("bladder_bowel_problems", "I'm not soiling myself"),
    ("bladder_bowel_problems", "what if I couldn't tell when my bladder's full?"),
    ("bladder_bowel_problems", "my mum has been wetting herself for years"),
    # Stairs, prices, flood water; denied, feared or a relative's past.
    ("ascending_spread", "I was going up the stairs and my feet went numb"),
    ("ascending_spread", "going up the stairs my legs tingle"),
    ("ascending_spread", "prices creeping up every day and my feet tingle"),
    ("ascending_spread", "my feet are numb and the water came up to my knees in the flood"),
    ("ascending_spread", "my feet tingle, now and again my knees ache"),
    ("ascending_spread", "my toes are numb since monday, today I went to the gym"),
    ("ascending_spread", "my feet tingled on monday, now it's not in my knees or anything"),
    ("ascending_spread", "it started in my feet on monday and it hasn't gone up to my knees today"),
    ("ascending_spread", "my mum's feet went numb and then it went up to her knees, years ago"),
    ("ascending_spread", "my feet are numb, I'm worried by tomorrow it'll be up to my knees"),
    # Waist-high water, sock lines, work; denied or asked about.
    ("trunk_numbness_level", "waist-high water in the flood and my feet got cold"),
    ("trunk_numbness_level", "the water came up to my waist"),
    ("trunk_numbness_level", "numb below the line of my socks"),
    ("trunk_numbness_level", "my trousers are tight round my waist and my toes tingle"),
    ("trunk_numbness_level", "I'm up to my neck in work and my feet tingle"),
    ("trunk_numbness_level", "can't feel anything below my knee"),
    ("trunk_numbness_level", "no numbness below my chest"),
    ("trunk_numbness_level", "is it bad if it's up to my waist?"),
    ("trunk_numbness_level", "my mum was paralysed from the waist down after a fall years ago"),
]


@pytest.mark.parametrize("label,text", NOT_PRESENT, ids=[f"{lab}: {t}" for lab, t in NOT_PRESENT])
def test_look_alikes_denials_worries_and_histories_are_not_present(nlp, label, text):
    assert "present" not in assertions(nlp, text, label)


DENIED = [
    ("saddle_numbness", "I don't have any numbness down there"),
    ("bladder_bowel_problems", "I'm not soiling myself"),
    ("ascending_spread", "my toes are numb since friday but no, it's not spreading up my legs"),
]


@pytest.mark.parametrize("label,text", DENIED, ids=[f"{lab}: {t}" for lab, t in DENIED])
def test_denials_read_as_absent(nlp, label, text):
    found = assertions(nlp, text, label)
    assert "absent" in found and "present" not in found


# ------------------------------------------------------------------ the flag fires in the same message

FLAGS = [
    ("cauda_equina", "emergency", "when I wash down there I can't feel a thing and my back aches"),
    ("cauda_equina", "emergency", "my wife can't feel her privates since Sunday"),
    ("cauda_equina", "emergency", "the loo seat feels like nothing and my legs are tingly"),
    ("cauda_equina", "emergency", "stood at the toilet for ages and nothing came, legs numb"),
    ("cauda_equina", "emergency", "my grandad keeps messing himself without noticing, his legs are numb"),
    ("guillain_barre_fast", "emergency", "started in my toes on friday, now my legs are going weak"),
    ("guillain_barre_early", "urgent", "both feet tingly since wednesday and by today it's up to my knees"),
    ("spinal_cord_level", "emergency", "I can't feel anything below a line on my tummy"),
    ("spinal_cord_level", "emergency", "she can't feel anything below her belly button"),
]


@pytest.mark.parametrize("flag,level,text", FLAGS, ids=[f"{f}: {t}" for f, _, t in FLAGS])
def test_red_flag_fires_in_the_message_it_is_said(nlp, table, flag, level, text):
    assert flag in flags(nlp, table, text)
    reading = read_message(nlp, table, text)
    assert reading.red_flag is not None
    rank = {"urgent": 1, "emergency": 2, "emergency_ambulance": 3}
    assert rank[reading.red_flag.level.value] >= rank[level]


@pytest.mark.parametrize(
    "text",
    [
        "potty training my son, he wet himself again, and my feet tingle",
        "numb bum from the bike seat after a long ride",
        "going up the stairs my legs tingle",
        "the water came up to my waist and my feet went numb from the cold",
        "my wee one's been hard to get going in the mornings and my toes are numb",
        "been drinking loads of water since the heatwave and my feet tingle",
    ],
)
def test_look_alikes_raise_no_spine_or_spread_flag(nlp, table, text):
    assert not flags(nlp, table, text) & {
        "cauda_equina",
        "spinal_cord_level",
        "guillain_barre_fast",
        "guillain_barre_early",
        "guillain_barre_severe",
    }
