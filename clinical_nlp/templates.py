"""Expands the lexicon's term templates into plain phrases.

Syntax: ``(a|b|c)`` one of the alternatives, ``[a|b]`` optional (may also be left out),
``{name}`` every word of a word set. Alternatives may be several words or empty; groups
do not nest. ``"(numb|dead) [left|right] {lower_limb}"`` gives "numb foot", "dead left leg", ...
"""

from __future__ import annotations

import itertools
import re
from typing import Callable, Dict, List, Mapping, Sequence, Tuple

MAX_EXPANSIONS = 3000

_MACRO = re.compile(r"\{([a-z_]+)\}")
_GROUP = re.compile(r"\(([^()\[\]{}]*)\)|\[([^()\[\]{}]*)\]")
_SPACES = re.compile(r"\s+")


class TemplateError(ValueError):
    """A template is malformed or expands to too many phrases."""


def _substitute_macros(template: str, wordsets: Mapping[str, Sequence[str]]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in wordsets:
            raise TemplateError(f"unknown word set '{{{name}}}' (known: {', '.join(sorted(wordsets))})")
        return "(" + "|".join(wordsets[name]) + ")"

    return _MACRO.sub(replace, template)


def _check_in_group(template: str, start: int) -> None:
    depth = 0
    for ch in template[:start]:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
    if depth:
        raise TemplateError("a {word set} cannot stand inside a group")


def expand(template: str, wordsets: Mapping[str, Sequence[str]]) -> List[str]:
    """All phrases a template stands for, lower-cased, single-spaced, in order, no duplicates."""
    if re.search(r"[)\]][?*+]", template):
        raise TemplateError("'?', '*' or '+' after a group: write an optional group as [a|b]")
    for match in _MACRO.finditer(template):
        _check_in_group(template, match.start())
    text = _substitute_macros(template.lower(), wordsets)
    pieces: List[List[str]] = []
    pos = 0
    for match in _GROUP.finditer(text):
        pieces.append([text[pos : match.start()]])
        if match.group(1) is not None:
            pieces.append(match.group(1).split("|"))
        else:
            pieces.append([""] + match.group(2).split("|"))
        pos = match.end()
    pieces.append([text[pos:]])
    leftover = "".join(p[0] for p in pieces if len(p) == 1)
    if any(ch in leftover for ch in "()[]{}"):
        raise TemplateError("unbalanced or nested brackets")
    count = 1
    for options in pieces:
        count *= len(options)
    if count > MAX_EXPANSIONS:
        raise TemplateError(
            f"expands to {count} phrases (at most {MAX_EXPANSIONS}); split it or use a sequence"
        )
    seen: Dict[str, None] = {}
    for combo in itertools.product(*pieces):
        phrase = _SPACES.sub(" ", "".join(combo)).strip()
        if phrase:
            seen.setdefault(phrase, None)
    if not seen:
        raise TemplateError("expands to nothing")
    return list(seen)


_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def unhyphenate(text: str) -> str:
    """Turn a hyphen between two letters into a space, keeping every offset.

    Applied to messages and to lexicon phrases alike, so "pins-and-needles", "left-sided" and
    "x-ray" match the terms "pins and needles", "left sided" and "x ray".
    """
    return _HYPHEN.sub(" ", text)


# Quotation marks: double ones anywhere, single ones only in pairs around words ("he's numb 'in
# the saddle area', as he put it"), so apostrophes ("he's", "goin'") stay.
_DOUBLE_QUOTE = re.compile(r'["“”„«»]')
_SINGLE_QUOTED = re.compile(r"(?<!\w)['‘](?=\w)((?:[^'‘’\n]|(?<=\w)['’](?=\w)){1,80}?)(?<=[\w.!?])['’](?!\w)")


def unquote(text: str) -> str:
    """Turn quotation marks into spaces, keeping every offset, so a quoted phrase reads as words."""
    text = _DOUBLE_QUOTE.sub(" ", text)
    return _SINGLE_QUOTED.sub(lambda m: " " + m.group(1) + " ", text)


_SPACE_RUN = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")
_KIN = (
    r"da|dad|mum|mam|ma|mom|nan|nana|gran|granny|grandad|grandpa|grandma|husband|hubby|wife|son|daughter|"
    r"brother|sister|partner|fella|boyfriend|girlfriend|uncle|aunt|aunty|auntie|mother|father"
)
_NOT_A_VERB_AFTER = r"(?!\s+(?:and|or|&|n)\b)(?=\s+[a-z])"
# Apostrophes left out where the word cannot be meant without one ("Im", "hes", "my foots gone",
# "her mouths gone lopsided", "my right legs numb", "ma das talkin"): the phrases are written with
# the apostrophe, so it is put back ("its", "legs", "dads" alone are words and stay).
_MISSING_APOSTROPHE = re.compile(
    r"\b(?:(?P<pron>i)(?P<pron_end>m|ve)|(?P<pron2>he|she|they|you|that|what|there)(?P<pron2_end>s|re))\b"
    r"|\b(?P<own>(?:my|ma|me|mi|his|her|their|our)\s+(?:(?:left|right)\s+(?:leg|foot|arm|hand|side)|"
    r"back|mouth|face|bum|bladder|head|neck|speech|tongue|spine|bottom|foot|"
    rf"{_KIN}))s\b{_NOT_A_VERB_AFTER}"
    r"|\b(?P<foot>foot|calf)s\b"
    # "its dead warm", "its gone numb": "its" before a state is "it's" ("its colour" stays).
    r"|\b(?P<it>it)s\b(?=\s+(?:dead|really|so|very|been|gone|going|getting|got|all|not|just|still|like|too|"
    r"quite|proper|well|a|an|the|only|always|never|now|worse|better|bad|red|hot|warm|cold|white|blue|"
    r"numb|swollen|killing|agony|sore|painful|hurting|burning|tingling|tingly|weak|heavy)\b)",
    re.IGNORECASE,
)
_PRONOUN_ENDS = {"m": "'m", "ve": "'ve", "s": "'s", "re": "'re"}


def _apostrophe(m: re.Match[str]) -> str:
    if m.group("pron"):
        return m.group("pron") + "'" + m.group("pron_end")
    if m.group("pron2"):
        word, end = m.group("pron2"), m.group("pron2_end")
        if end.lower() == "re" and word.lower() not in ("they", "you"):
            return m.group(0)
        if end.lower() == "s" and word.lower() in ("they", "you"):
            return m.group(0)
        return word + "'" + end
    if m.group("own"):
        return m.group("own") + "'s"
    if m.group("it"):
        return m.group("it") + "'s"
    return m.group("foot") + "'s"


# "can't really lift my arms", "couldn't even feel the floor": a hedge inside an inability is
# dropped, so the sign's phrase matches and "not really" is not read as a denial ("not really
# any pain").
_HEDGED_INABILITY = re.compile(
    r"\b(can['’]?t|cannot|can not|couldn['’]?t|could not|don['’]?t|do not|didn['’]?t|did not)"
    r"\s+(?:really|even|quite|properly|fully)\b",
    re.IGNORECASE,
)
# Text-speak and Caribbean English for "can't" / "don't" ("cnt swallow", "mi cyaan feel"),
# several tokens once spaCy splits the contraction, so rewritten before tokenizing.
_SPOKEN_NOT = re.compile(r"\b(?:(?P<can>cnt|cyaan|kyaan|cyaa|caan)|(?P<do>dnt))\b", re.IGNORECASE)


def _rewrite(
    text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> Tuple[str, List[int]]:
    """``pattern.sub(repl, text)`` and, per character of the result, its offset in ``text``."""
    out: List[str] = []
    origin: List[int] = []
    last = 0
    for m in pattern.finditer(text):
        new = repl(m)
        out.append(text[last : m.start()])
        origin.extend(range(last, m.start()))
        out.append(new)
        width = max(1, m.end() - m.start())
        origin.extend(m.start() + min(j, width - 1) for j in range(len(new)))
        last = m.end()
    out.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return "".join(out), origin


# An ellipsis or a line break ends a sentence ("no back pain... my foot is white", "no back
# pain<newline>foot is white"), so a negation cannot reach past it; a line break after a comma or
# a joining word only wraps the line. A missing space after a full stop or comma is put back.
_ELLIPSIS = re.compile(r"[ \t]*(?:\.{2,}|…)(?=[ \t]*[^\W\d_])")
_LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_WRAPS_ON = re.compile(
    r"(?:[,;:&.!?]|\b(?:and|or|but|with|the|my|a|to|of|in|is|are|was|because))$|^$", re.IGNORECASE
)
_NO_SPACE_AFTER = re.compile(r"(?<=[^\W\d_]{2})([.,;!?])(?=[^\W\d_])")


# An ellipsis before more of the same description is a pause, not an end: "went numb... cold and
# whitish", "it's a terrible colour... like candle wax".
_DESCRIPTION_GOES_ON = re.compile(
    r"[ \t]*(?:cold|icy|freezing|white|whitish|pale|blue|bluish|grey|gray|purple|mottled|numb|dead|swollen|"
    r"red|hot|warm|weak|heavy|tingly|like|and|an|n|&|with)\b",
    re.IGNORECASE,
)


def _ellipsis(m: re.Match[str]) -> str:
    return "," if _DESCRIPTION_GOES_ON.match(m.string, m.end()) else "."


def _line_break(m: re.Match[str]) -> str:
    return " " if _WRAPS_ON.search(m.string[max(0, m.start() - 12) : m.start()]) else ". "


def squeeze(text: str) -> Tuple[str, List[int]]:
    """The message as the phrases are written, with where each character came from:
    ``origin[i]`` is the offset in ``text`` of character ``i`` (one more for the end).

    Runs of spaces become one (spaCy makes a token of the extra spaces in "my foot is  white",
    which breaks every phrase across them); an ellipsis or a line break ends a sentence; missing
    apostrophes and spaces after punctuation are put back; a hedge inside an inability goes.
    """
    origin = list(range(len(text) + 1))
    for pattern, repl in (
        (_ELLIPSIS, _ellipsis),
        (_LINE_BREAK, _line_break),
        (_NO_SPACE_AFTER, lambda m: m.group(1) + " "),
        (_SPACE_RUN, lambda m: " "),
        (_MISSING_APOSTROPHE, _apostrophe),
        (_SPOKEN_NOT, lambda m: "can't" if m.group("can") else "don't"),
        (_HEDGED_INABILITY, lambda m: m.group(1)),
    ):
        text, step = _rewrite(text, pattern, repl)
        origin = [origin[i] for i in step]
    return text, origin


# A word, with the letters after an apostrophe ("CAN'T", "I'M", "DON’T"), or letters with dots ("M.S").
_WORD = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\b|[^\W\d_]+(?:['’][^\W\d_]+)*")


def _lower_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not any(ch.isupper() for ch in word[1:]):
        return word  # "I", "Can't", "Dr.": spaCy's exceptions know the title-case forms
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in word)


_UNIT_AFTER_NUMBER = re.compile(r"(?<=\d)[A-Z]+\b")


def unshout(text: str) -> str:
    """Words typed in capitals in lower case, keeping every offset.

    spaCy's tokenizer exceptions are case-sensitive: "CAN'T", "DON'T", "I'M", "CANT" stay one
    token each, so "I CAN'T FEEL MY BUM" would match no term and "I DON'T HAVE BACK PAIN" no
    negation. Only words with a capital after their first letter change ("BUM", "MS", "CAN'T");
    "I", "Can't" and "Dr." are left as typed. Every character keeps its length, so offsets into
    the message stay the same (the words said are always sliced from the message as typed).
    """
    # "5K", "10KM": a unit after a number is a word in capitals too.
    return _UNIT_AFTER_NUMBER.sub(lambda m: m.group(0).lower(), _WORD.sub(_lower_word, text))
