"""Corrections to ConText's reading that the lexicon alone cannot express.

* A denial term that contains its own negation word ("no weakness") hides that word from
  ConText, so the next item of the same list ("... or bladder problems") would read as
  present and raise a false alarm. The denial is carried along the list here.
* "Diabetic for 15 years" gives the diabetes a duration, not the numbness: a duration right
  after a long-term risk factor is dropped, so it cannot make new numbness look old (red-flag
  rules for cauda equina only hold for numbness that is not long-standing).
* "Is raynauds dangerous?" names a condition in a question: the finding that shares those
  words is a worry, not something the person has.
* "My dad had a fall and now he can't feel his legs": ConText reads "my dad had" as family
  history, but the relative is the patient here. When the numbness itself is the relative's
  (said with he / she / his / her, or itself read as family) and nothing says the writer has
  symptoms ("my feet", "I can't feel"), the relative's mentions are the patient's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import List, Sequence

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


def questions_are_worries(mentions: Sequence[Mention], question: bool) -> List[Mention]:
    """In a question, a finding spelled by the same words as a named condition is a worry."""
    if not question:
        return list(mentions)
    causes = [m for m in mentions if m.label == CAUSE_LABEL]
    return [
        replace(m, assertion="hypothetical")
        if m.label in FINDINGS
        and m.assertion == "present"
        and any(c.start <= m.start and m.end <= c.end for c in causes)
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


def correct(mentions: Sequence[Mention], text: str, question: bool) -> List[Mention]:
    """Every correction above, in order."""
    fixed = carry_list_denials(sorted(mentions, key=lambda m: (m.start, m.end)), text)
    fixed = drop_risk_factor_durations(fixed, text)
    fixed = relative_is_the_patient(fixed, text)
    return questions_are_worries(fixed, question)
