"""Turns a duration as people say it ("about 3 weeks", "since yesterday") into days."""

from __future__ import annotations

import re

_UNITS = {
    "min": 1 / 1440,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "day": 1.0,
    "night": 1.0,
    "week": 7.0,
    "wk": 7.0,
    "fortnight": 14.0,
    "month": 30.0,
    "mth": 30.0,
    "year": 365.0,
    "yr": 365.0,
}
_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple": 2,
    "few": 3,
    "several": 4,
    "half": 0.5,
}
_PHRASES = (
    (re.compile(r"\b(just now|right now|this morning|today|tonight|an? hour|minutes?)\b"), 0.2),
    (re.compile(r"\b(yesterday|last night|overnight)\b"), 1.0),
    (re.compile(r"\b(the )?(day before yesterday)\b"), 2.0),
    (re.compile(r"\blast week\b"), 7.0),
    (re.compile(r"\blast month\b"), 30.0),
    (re.compile(r"\blast year\b"), 365.0),
    (re.compile(r"\b(ages|forever|years|a long time|long time)\b"), 400.0),
    # "since last spring": a season of last year is half a year or more ago.
    (re.compile(r"\bsince\b.{0,12}\blast (summer|spring|autumn|fall|winter)\b"), 180.0),
    # "since the summer", "since xmas": a season or holiday ago is weeks to months; two months
    # keeps it out of both "a few days" and "months-long" rules.
    (
        re.compile(
            r"\bsince\b.{0,25}\b(summer|spring|autumn|fall|winter|christmas|xmas|easter|new year"
            r"|halloween|thanksgiving|bonfire night|the holidays|half term|the school holidays)\b"
        ),
        60.0,
    ),
    # "for months", "weeks now", "been days": a bare plural is read as "a few" of it.
    (re.compile(r"\bmonths\b"), 90.0),
    (re.compile(r"\bweeks\b"), 21.0),
    (re.compile(r"\bdays\b"), 3.0),
)
_AMOUNT = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
    r"(?:\s*(?:or|to|-)\s*(?P<num2>\d+(?:\.\d+)?|\w+))?"
    r"(?:\s+of)?(?:\s+(?:a|an))?\s*"
    r"(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")s?\b"
)


def _number(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        value = _WORD_NUMBERS.get(token)
        return None if value is None else float(value)


def parse_duration_days(text: str | None) -> float | None:
    """Days covered by ``text``, or None when it cannot be read.

    A range ("2-3 weeks") takes its upper end: longer durations are the more
    cautious reading for deciding whether numbness has lasted "several days".
    """
    if not text:
        return None
    lowered = text.lower()
    match = _AMOUNT.search(lowered)
    if match:
        num = _number(match.group("num"))
        second = match.group("num2")
        if second is not None:
            upper = _number(second)
            if upper is not None:
                num = upper
        if num is not None:
            unit = match.group("unit")
            return num * _UNITS[unit]
    for pattern, days in _PHRASES:
        if pattern.search(lowered):
            return days
    return None
