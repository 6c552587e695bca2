"""Durations, ages and "54F"-style age/sex, read with regular expressions.

Each finder returns ``(label, value, start, end)`` with character offsets into the text.
Values: duration -> the words as said (without a leading "for"), age -> whole years as a
string, sex -> "male"/"female".
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

Found = Tuple[str, str, int, int]

MIN_AGE, MAX_AGE = 1, 120

_NUMBER_WORDS = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"a couple of|a couple|couple of|a few|few|several|half an?|a half|a good few|a number of"
)
_NUM = rf"(?:\d+(?:\.\d+)?|{_NUMBER_WORDS})"
_UNIT = r"(?:min(?:ute)?s?|hours?|hrs?|days?|nights?|weeks?|wks?|fortnights?|months?|mths?|years?|yrs?)"
_PREFIX = (
    r"(?:(?:for|about|around|roughly|nearly|almost|over|under|just over|just under|more than|less than|"
    r"at least|approximately|approx\.?|maybe|like|probably|the past|the last|past|last|the best part of|"
    r"a good|well over|getting on for|coming up to|going on|ongoing for|on and off for)\s+)*"
)
_DURATION_AMOUNT = re.compile(
    rf"\b{_PREFIX}{_NUM}(?:\s*(?:-|to|or|/)\s*{_NUM})?\s*(?:and a half\s+)?{_UNIT}\b"
    r"(?:\s+and\s+a\s+half)?(?:\s+(?:ago|or so|or more|or longer|plus))?",
    re.IGNORECASE,
)
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|wed|thurs|fri|sat|sun"
_DURATION_SINCE = re.compile(
    # "since about last spring", "since early march", "since the end of the summer"
    r"\b(?:ever\s+)?since\s+(?:(?:about|around|roughly|maybe|probably|approximately|approx\.?|like|just\s+after|"
    r"just\s+before|early|late|mid|the\s+end\s+of|the\s+middle\s+of|the\s+start\s+of)[\s-]+)*"
    r"(?:yesterday|last\s+(?:night|week|month|year|weekend|summer|winter|spring|autumn|fall|"
    rf"christmas|easter|{_DAYS})|this\s+(?:morning|afternoon|evening|week|month|year)|"
    r"the\s+(?:weekend|morning|summer|winter|spring|autumn|fall|start\s+of\s+the\s+\w+|beginning\s+of\s+the\s+\w+|"
    r"new\s+year)|"
    rf"(?:{_DAYS})|christmas|easter|new\s+year|(?:{_MONTHS})|(?:19|20)\d\d|childhood|i\s+was\s+(?:a\s+kid|"
    r"a\s+child|young|little|a\s+teenager|pregnant))\b",
    re.IGNORECASE,
)
_DURATION_OPEN = re.compile(
    r"\bfor\s+(?:years|ages|months|weeks|days|hours|decades|a\s+while|a\s+long\s+time|a\s+long\s+while|"
    r"quite\s+a\s+while|quite\s+some\s+time|some\s+time|donkey'?s\s+years|as\s+long\s+as\s+i\s+can\s+remember|"
    r"most\s+of\s+my\s+life|my\s+whole\s+life|forever)\b",
    re.IGNORECASE,
)
_DURATION_WHEN = re.compile(
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday|last\s+night|this\s+morning|earlier\s+today|"
    r"(?:started|began|came\s+on|happened|woke\s+up\s+with\s+it)\s+(?:today|last\s+week|last\s+month|"
    r"at\s+the\s+weekend|over\s+the\s+weekend))\b",
    re.IGNORECASE,
)
_DURATION_LAST = re.compile(
    r"\b(?:over|in|during|for|within)\s+the\s+(?:last|past)\s+(?:year|week|month|fortnight|day|night|"
    r"(?:few|couple\s+of|several)\s+(?:days|weeks|months|years))\b",
    re.IGNORECASE,
)
_DURATION_ANSWER = re.compile(
    r"^\W*(?:(?:about|around|maybe|probably|honestly|oh)\s+)?(years|months|weeks|days|ages|forever|decades)\b",
    re.IGNORECASE,
)
_BARE_FREQUENCY = re.compile(rf"^(?:a|an)\s+{_UNIT}$", re.IGNORECASE)
# "a bottle of wine a night", "20 a day", "three times a week": how often, not how long.
_COUNTED_BEFORE = re.compile(
    r"(?:\d|\b(?:bottles?|pints?|cans?|glass(?:es)?|units?|cigarettes?|cigs|fags|drinks?|beers?|wine|vodka|"
    r"whisky|spirits|times?|once|twice|packs?|packets?|tablets?|pills?))\W*(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
# "after my 12 hour shifts", "a 3-hour drive", "a ten minute walk": how long something else lasts.
_ACTIVITY_AFTER = re.compile(
    r"\s*-?\s*(?:long\s+)?(?:shifts?|drives?|flights?|journeys?|trips?|walks?|runs?|hikes?|rides?|"
    r"commutes?|sessions?|meetings?|lectures?|classes|class|workouts?|stints?|days?\s+at\s+work|"
    r"working\s+days?|days?\s+on\s+my\s+feet|operations?|surgery|labou?r|fast|wait|queue|"
    r"car\s+journeys?|coach\s+trips?|train\s+journeys?|bus\s+rides?|gaming\s+sessions?)\b",
    re.IGNORECASE,
)
_NOT_A_DURATION_BEFORE = re.compile(r"(?:once|twice|times|per|every|each|a)\s*$", re.IGNORECASE)
_AGE_UNITS_AFTER = re.compile(
    r"\s*(?:%|percent|kg|kilos?|lbs?|pounds|stone|st\b|cm|mm|ft|feet|foot|inch|inches|'|times|x\b|miles?|km|"
    r"days?|weeks?|months?|hours?|mins?|minutes?|years?\s+ago|am\b|pm\b|o'?clock|:\d)",
    re.IGNORECASE,
)
_AGE_STATED = re.compile(
    r"\b(?:i'?m|i\s+am|im|aged?|age\s*:|age\s+is|turned|turning)\s*(\d{1,3})\b", re.IGNORECASE
)
# Someone typing for the person: "she's 81", "he is 58" ("my mum is 80" stays a relative's).
_AGE_STATED_FOR = re.compile(r"\b(?:she'?s|he'?s|she\s+is|he\s+is)\s+(\d{1,3})\b", re.IGNORECASE)
_AGE_YEARS_OLD = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:years?|yrs?|yr)\s*-?\s*old\b|\b(\d{1,3})\s*(?:y\.o\.?|yo|y/o|yoa)\b",
    re.IGNORECASE,
)
_AGE_SEX = re.compile(r"\b(\d{2})(?:([mMfF])|\s([MF]))\b")
_SEX_WORDS = r"male|female|man|woman|guy|lady|bloke|gentleman|gent|m|f"
_AGE_BESIDE_SEX = re.compile(
    rf"\b(\d{{2}})\s*,?\s*(?:{_SEX_WORDS})\b|\b(?:{_SEX_WORDS})\s*,\s*(\d{{2}})\b", re.IGNORECASE
)
_AGE_ALONE = re.compile(r"^\W*(\d{2,3})\W*$")
_AGE_DECADE = re.compile(
    r"\bin\s+my\s+(?:(early|mid|late)\s*-?\s*)?(20|30|40|50|60|70|80|90)'?s\b|"
    r"\bin\s+my\s+(?:(early|mid|late)\s*-?\s*)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    re.IGNORECASE,
)
_DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
_DECADE_OFFSET = {"early": 2, "mid": 5, "late": 8, None: 5}


def _age(text: str) -> Optional[str]:
    value = int(text)
    return str(value) if MIN_AGE <= value <= MAX_AGE else None


_AGE_SUBJECT_BEFORE = re.compile(
    r"\b(?:i'?m|i\s+am|im|(?:he|she)(?:\s+is|'s)|hes|shes|aged?)\s+$", re.IGNORECASE
)
_IN_YEARS = re.compile(r"\b(?:years?|yrs?)\s*$", re.IGNORECASE)


def find_durations(text: str) -> List[Found]:
    """Durations: "3 weeks", "a couple of months", "since yesterday", "for years"."""
    found: List[Found] = []
    patterns = (
        _DURATION_AMOUNT,
        _DURATION_SINCE,
        _DURATION_OPEN,
        _DURATION_WHEN,
        _DURATION_LAST,
        _DURATION_ANSWER,
    )
    for pattern in patterns:
        for m in pattern.finditer(text):
            start, end = m.span(1) if pattern is _DURATION_ANSWER else m.span()
            if pattern is _DURATION_AMOUNT:
                if re.match(r"\s*-?\s*old\b", text[end:], re.IGNORECASE):
                    continue  # "54 years old" is an age
                if _AGE_SUBJECT_BEFORE.search(text[max(0, start - 12) : start]) and _IN_YEARS.search(
                    m.group(0)
                ):
                    continue  # "I am 65 years", "he is 70 yrs": an age without "old"
                if _NOT_A_DURATION_BEFORE.search(text[max(0, start - 8) : start]):
                    continue  # "three times a day", "once a week"
                if _ACTIVITY_AFTER.match(text[end:]):
                    continue  # "12 hour shifts", "a 3-hour drive"
                if _BARE_FREQUENCY.match(m.group(0)) and _COUNTED_BEFORE.search(
                    text[max(0, start - 30) : start]
                ):
                    continue
            words = text[start:end]
            lead = re.match(r"for\s+", words, re.IGNORECASE)
            if lead:
                start += lead.end()
            found.append(("duration", text[start:end].lower(), start, end))
    return found


def find_ages(text: str) -> List[Found]:
    """Ages ("I'm 54", "54 years old", "54yo", "aged 54", "in my fifties") and "54F" sex."""
    found: List[Found] = []
    for m in [*_AGE_STATED.finditer(text), *_AGE_STATED_FOR.finditer(text)]:
        if _AGE_UNITS_AFTER.match(text[m.end() :]):
            continue
        value = _age(m.group(1))
        if value:
            found.append(("age", value, m.start(), m.end()))
    for m in _AGE_YEARS_OLD.finditer(text):
        value = _age(m.group(1) or m.group(2))
        if value:
            found.append(("age", value, m.start(), m.end()))
    for m in _AGE_SEX.finditer(text):
        value = _age(m.group(1))
        letter = (m.group(2) or m.group(3) or "").lower()
        if value:
            found.append(("age", value, m.start(), m.end()))
            found.append(("sex", "male" if letter == "m" else "female", m.start(), m.end()))
    for m in _AGE_BESIDE_SEX.finditer(text):
        value = _age(m.group(1) or m.group(2))
        if value:
            found.append(("age", value, *m.span(1 if m.group(1) else 2)))
    alone = _AGE_ALONE.match(text)
    if alone and 10 <= int(alone.group(1)) <= MAX_AGE:
        found.append(("age", str(int(alone.group(1))), *alone.span(1)))  # the answer to "how old are you?"
    for m in _AGE_DECADE.finditer(text):
        stage = (m.group(1) or m.group(3) or "").lower() or None
        decade = int(m.group(2)) if m.group(2) else _DECADE_WORDS[m.group(4).lower()]
        found.append(("age", str(decade + _DECADE_OFFSET[stage]), m.start(), m.end()))
    return found


def find_quantities(text: str) -> List[Found]:
    """Every duration, age and shorthand sex in ``text``."""
    return find_durations(text) + find_ages(text)
