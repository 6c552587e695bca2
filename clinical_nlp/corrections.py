"""Corrections to ConText's reading that the lexicon alone cannot express.

* A denial term that contains its own negation word ("no weakness") hides that word from
  ConText, so the next item of the same list ("... or bladder problems") would read as
  present and raise a false alarm. The denial is carried along the list here.
* "Diabetic for 15 years" gives the diabetes a duration, not the numbness: a duration right
  after a long-term risk factor is dropped, so it cannot make new numbness look old (red-flag
  rules for cauda equina only hold for numbness that is not long-standing).
* "Is raynauds dangerous?" names a condition in a question: the finding that shares those
  words is a worry, not something the person has.
* "My dad smoked 40 a day", "mum drinks a lot": the family rule "my dad smoked" holds the
  habit's own verb, and ConText drops a cue that overlaps its target, so the habit read as the
  writer's. A risk factor whose subject is a relative is the relative's (family).
* "Will giving up cigs help?", "can GBS come on after a stomach bug", "could sleeping on it
  funny be the reason": a question that names a risk factor, a recent infection or a pressure or
  cold trigger asks about it; only the writer's own claim ("my chemo", "I smoke", "the flu I
  had") says they have it. A cancer or a recent infection named in a question that also reports
  symptoms stays said (it helps raise red flags).
* "My dad had a fall and now he can't feel his legs": ConText reads "my dad had" as family
  history, but the relative is the patient here. When the numbness itself is the relative's
  (said with he / she / his / her, or itself read as family) and nothing says the writer has
  symptoms ("my feet", "I can't feel"), the relative's mentions are the patient's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, List, Sequence

from clinical_nlp.lexicon import CAUSE_LABEL, DURATION_LABEL, LOCATION_LABEL, SYMPTOM_LABEL
from clinical_nlp.mention import Mention
from triage.contract import FINDINGS

_DENIAL_START = re.compile(r"^(no|not any|without|never|none)\b", re.IGNORECASE)
# What may stand between two items of one list: "no weakness, numbness or bladder problems".
_LIST_GLUE = re.compile(r"^[\s,]*(or|and|nor|&|/)?[\s,]*(any|no)?[\s,]*$", re.IGNORECASE)
# Long-term conditions and habits whose "for N years" is their own duration.
RISK_FACTORS = frozenset(
    {
        "diabetes",
        "smoker",
        "heavy_alcohol",
        "vegan_or_b12_risk",
        "cancer_history",
        "autoimmune_disease",
        "known_infection",
    }
)
# Background findings that a question may name as its topic: the risk factors, a recent
# infection, and the pressure and cold triggers (these two only ever lower the urgency, so
# reading them as a topic is the safe side).
BACKGROUND = RISK_FACTORS | {"recent_infection", "position_related", "cold_triggers_colour_change"}
# Background that raises red flags together with symptoms (metastatic cord compression,
# Guillain-Barre): in a question that also reports symptoms it is kept.
_RED_FLAG_BACKGROUND = frozenset({"cancer_history", "recent_infection"})
_OWN_DURATION_GLUE = re.compile(
    r"^[\s,]*((for|since|over|about|around|nearly|almost|roughly|the|last|past|a|good|few|"
    r"now|going|on|well|maybe)\s*)*$",
    re.IGNORECASE,
)


def carry_list_denials(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Later items of a list that starts with a self-negating denial are denied too."""
    out = list(mentions)
    denying = False
    last_end = -1
    for i, mention in enumerate(out):
        if denying and not _LIST_GLUE.match(text[last_end : mention.start]):
            denying = False
        if mention.label in FINDINGS and mention.assertion == "absent" and _DENIAL_START.match(mention.text):
            denying = True
        elif denying and mention.label in FINDINGS and mention.assertion == "present":
            out[i] = replace(mention, assertion="absent", value=False)
        if denying:
            last_end = max(last_end, mention.end)
    return out


def drop_risk_factor_durations(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Durations that belong to a long-term risk factor said just before them are dropped."""
    out: List[Mention] = []
    for mention in mentions:
        if mention.label == DURATION_LABEL and any(
            m.label in RISK_FACTORS
            and m.end <= mention.start
            and _OWN_DURATION_GLUE.match(text[m.end : mention.start])
            for m in out
        ):
            continue
        out.append(mention)
    return out


# Words that may stand between a relative and their habit: "my dad [also used to] smoke".
_HABIT_AUX = r"(?:\s+(?:also|still|always|used|to|has|had|'s|was|is|does|did|would|really|quite))*"


def relatives_habits(mentions: Sequence[Mention], text: str, relatives: Iterable[str]) -> List[Mention]:
    """A risk factor said right after a relative ("my dad smoked") is the relative's."""
    words = sorted({w for w in relatives if w}, key=len, reverse=True)
    if not words:
        return list(mentions)
    subject = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})(?:'s)?{_HABIT_AUX}\s*$", re.IGNORECASE)
    return [
        replace(m, assertion="family")
        if m.label in RISK_FACTORS and m.assertion == "present" and subject.search(text[: m.start])
        else m
        for m in mentions
    ]


def questions_are_worries(mentions: Sequence[Mention], question: bool, text: str) -> List[Mention]:
    """In a question, a finding spelled by the same words as a named condition is a worry.

    Unless it is background the writer claims: "can covid cause this? I had covid 2 weeks ago".
    """
    if not question:
        return list(mentions)
    causes = [m for m in mentions if m.label == CAUSE_LABEL]
    return [
        replace(m, assertion="hypothetical")
        if m.label in FINDINGS
        and m.assertion == "present"
        and any(c.start <= m.start and m.end <= c.end for c in causes)
        and not (m.label in BACKGROUND and _claimed(m, text))
        else m
        for m in mentions
    ]


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FIRST_PERSON = frozenset({"i", "i've", "ive", "i'm", "im", "i'd", "id"})
_POSSESSIVE = frozenset({"my", "our"})
# Words between "my" and the thing claimed: "my [new] chemo", "my [last] flu jab".
_OWN_QUALIFIER = frozenset({"new", "old", "recent", "last", "latest", "previous", "current", "own", "first"})
# Words before "I" that make it a question or a condition, not a claim: "how do I", "if I".
_NOT_A_CLAIM = frozenset(
    {"if", "when", "whenever", "whether", "unless", "once", "how", "what", "why", "do", "does", "did"}
    | {"can", "could", "should", "would", "will", "shall", "may", "might", "must", "am", "have", "has"}
    # "scared I have MS", "do you think I have diabetes": a fear or a guess, not a claim.
    | {"scared", "afraid", "worried", "frightened", "terrified", "concerned", "think", "reckon"}
    | {"suspect", "wonder", "wondering", "guess", "feel", "sure"}
)
# Words a claim may end on after the thing claimed: "the flu I had", "the chemo I'm on".
_CLAIM_AFTER = re.compile(
    r"^\W*(?:that\s+|which\s+)?(?:i|i've|ive|i'm|im|i'd)\s+(?:had|have|got|get|take|took|"
    r"taking|caught|am|was|'m|'ve|been|used|smoke|smoked|drink|drank)\b",
    re.IGNORECASE,
)

# A time it happened: "did the tummy bug last month start this", "the chemo 2 years ago".
_WHEN_IT_HAPPENED = re.compile(
    r"^\W*(?:last|yesterday|recently|(?:a|an|one|two|three|four|five|six|few|couple|several|\d+)"
    r"(?:\s+(?:of|few|couple|good))*\s+(?:days?|weeks?|months?|years?)\s+ago)\b",
    re.IGNORECASE,
)


def _claimed(mention: Mention, text: str) -> bool:
    """The writer says the mention is theirs: "my chemo", "I smoke", "the flu I had"."""
    own = _WORD.findall(mention.text.lower())[:1]  # "[I smoke]", "[my sugars]"; not "sleep on [my] side"
    if _FIRST_PERSON.intersection(own) or _POSSESSIVE.intersection(own):
        return True
    before = _WORD.findall(re.split(r"[,.;:!?]", text[: mention.start])[-1].lower())
    if before[-1:] and (
        before[-1] in _POSSESSIVE
        or (len(before) > 1 and before[-2] in _POSSESSIVE and before[-1] in _OWN_QUALIFIER)
    ):
        return True
    for i in range(max(0, len(before) - 4), len(before)):
        if before[i] in _FIRST_PERSON and (i == 0 or before[i - 1] not in _NOT_A_CLAIM):
            return True
    after = text[mention.end :]
    return _CLAIM_AFTER.match(after) is not None or _WHEN_IT_HAPPENED.match(after) is not None


def _reports_symptoms(mentions: Sequence[Mention]) -> bool:
    """The message also says the writer has symptoms or findings other than background."""
    return any(
        m.assertion == "present"
        and (m.label == SYMPTOM_LABEL or (m.label in FINDINGS and m.label not in BACKGROUND))
        for m in mentions
    )


def questions_name_topics(mentions: Sequence[Mention], text: str, question: bool) -> List[Mention]:
    """In a question, background findings the writer does not claim are the topic asked about."""
    if not question:
        return list(mentions)
    symptoms = _reports_symptoms(mentions)
    return [
        replace(m, assertion="hypothetical")
        if m.label in BACKGROUND
        and m.assertion == "present"
        and not _claimed(m, text)
        and not (symptoms and m.label in _RED_FLAG_BACKGROUND)
        else m
        for m in mentions
    ]


# The writer speaks of someone else's body or symptoms now.
_THIRD_PERSON = re.compile(r"\b(he|she|he's|she's|hes|shes|his|her|him)\b", re.IGNORECASE)
# The writer says they have symptoms themselves: "I can't feel", "I've got".
_FIRST_PERSON_SUBJECT = re.compile(
    r"\b(i|i've|ive|i'm|im)\s+(have|got|get|keep|can't|cant|cannot|can|feel|am|'m|been|started|woke|"
    r"went|lost|fell|hurt|had)\b",
    re.IGNORECASE,
)
_MY = re.compile(r"\bmy\b", re.IGNORECASE)
_MY_BEFORE = re.compile(r"\bmy\s+$", re.IGNORECASE)


def _writer_has_symptoms(mentions: Sequence[Mention], text: str) -> bool:
    """A body part or finding the lexicon found is the writer's own ("my feet", "my back hurts")."""
    if _FIRST_PERSON_SUBJECT.search(text):
        return True
    return any(
        (m.label == LOCATION_LABEL or m.label in FINDINGS)
        and (_MY.search(m.text) or _MY_BEFORE.search(text[: m.start]))
        for m in mentions
    )


def relative_is_the_patient(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Someone writing for a relative: the relative's "family" mentions describe the patient."""
    if not any(m.assertion == "family" for m in mentions) or _writer_has_symptoms(mentions, text):
        return list(mentions)
    symptoms = [m for m in mentions if m.label == SYMPTOM_LABEL]
    theirs = bool(symptoms) and (
        _THIRD_PERSON.search(text) is not None or all(m.assertion == "family" for m in symptoms)
    )
    if not theirs:
        return list(mentions)
    out = []
    for m in mentions:
        if m.assertion != "family":
            out.append(m)
        elif m.label in FINDINGS:
            out.append(replace(m, assertion="present" if m.value else "absent"))
        else:
            out.append(replace(m, assertion="present"))
    return out


def correct(
    mentions: Sequence[Mention], text: str, question: bool, relatives: Iterable[str] = ()
) -> List[Mention]:
    """Every correction above, in order (``relatives``: the words for a relative)."""
    fixed = carry_list_denials(sorted(mentions, key=lambda m: (m.start, m.end)), text)
    fixed = drop_risk_factor_durations(fixed, text)
    fixed = relatives_habits(fixed, text, relatives)
    fixed = relative_is_the_patient(fixed, text)
    fixed = questions_name_topics(fixed, text, question)
    return questions_are_worries(fixed, question, text)
