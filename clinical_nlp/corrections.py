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
* "My dad's foot went white before he lost his leg", "my mum's foot went blue years ago", "my
  dad had chest pains before his heart attack": a relative's sign set in the past (years ago,
  before they died or lost a leg, when they were alive, back in 2010) is family history, even
  when the relative is the one written about; "my dad had a fall and now he can't feel his legs"
  is not (nothing puts it in the past). Long-term background (a cancer, diabetes, smoking) is
  left alone: for a relative who is the patient, "cancer years ago" is exactly what matters.
* "My foot isn't cold or pale or swollen", "I'm not weak, numb down below or leaking": a
  negation ("not", "n't", "never", "no") that reaches the first item of a list reaches them all,
  as "no X or Y" does; ConText's "not" only reaches a few words.
* "No problem swallowing", "nothing numb down below": "no problem" is read as "that's fine"
  and "nothing" is no negation cue on its own, so a sign right after them whose words start
  with the problem ("problem swallowing", "numb down below") is denied here.
* "My mum's back is killing her and my legs tingle": a back pain, fever or weakness whose nearest
  owner is a relative is the relative's when the writer has symptoms too.
* "No back pain, foot is white and cold": a body part with its own verb after a comma is a new
  statement, out of reach of the denial before it.
* "If my leg went cold and white, how fast should I get help?": see ``conditionals``.
* "Googled it and now I think it's cancer": a diagnosis the writer guesses ("I think it's",
  "I reckon I've got") is a worry, not a history of it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Iterable, List, Sequence, Tuple

from clinical_nlp.conditionals import imagined_conditions
from clinical_nlp.lexicon import CAUSE_LABEL, DURATION_LABEL, LOCATION_LABEL, SYMPTOM_LABEL
from clinical_nlp.mention import Mention
from triage.contract import FINDINGS

_DENIAL_START = re.compile(r"^(no|not any|without|never|none)\b", re.IGNORECASE)
# A denied verb ("[haven't] fallen", "didn't fall") reaches on only over "or": "haven't fallen or
# banged my back", but not "I don't drink, numb down below".
_VERB_DENIAL_START = re.compile(
    r"^(?:not|(?:do|does|did|have|has|had|is|are|was|were|ca|can|could|wo|would|should|ai)?n['’]?t)\b",
    re.IGNORECASE,
)
_OR_GLUE = re.compile(r"^[ \t,]*(?:or|nor)[ \t]+(?:any[ \t]+)?\Z", re.IGNORECASE)
# What may stand between two items of one list: "no weakness, numbness or bladder problems". Not
# a line break: "no back pain<newline>foot is white" is two statements.
_LIST_GLUE = re.compile(r"^[ \t,]*(or|and|nor|&|/)?[ \t,]*(any|no)?[ \t,]*\Z", re.IGNORECASE)
_WRAPPED_AFTER_COMMA = re.compile(r",[ \t]*[\r\n]+[ \t]*")
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
    r"^[\s,()]*((for|since|over|about|around|nearly|almost|roughly|the|last|past|a|good|few|"
    r"now|going|on|well|maybe)\s*)*$",
    re.IGNORECASE,
)

_POSTURE_SPAN = re.compile(
    r"\b(min|mins|minutes?|hours?|hrs?|ages|a while|a long time|donkey'?s years)\b", re.IGNORECASE
)

# A list item that opens a new statement ("no weakness and [my back hurts]") is not denied.
_NEW_SUBJECT = re.compile(
    r"^(?:my|me|i|i'm|im|i've|ive|it|it's|its|he|she|he's|she's|his|her|they|their|we|our|there|now)\b",
    re.IGNORECASE,
)


# A body part with its own verb right after a comma starts a new statement, which a denial before
# the comma does not reach: "no back pain, foot is white and cold" (ConText drops a clause cue
# that overlaps the sign, so it is done here).
_CLAUSE_AFTER_COMMA = re.compile(r"[,;]\s*(?:(?:the|his|her|left|right|whole)\s+)*$", re.IGNORECASE)
_BODY_WITH_VERB = re.compile(
    r"^(?:(?:the|his|her|left|right|whole)\s+)?(?:foot|feet|leg|legs|toe|toes|calf|calves|ankle|ankles|"
    r"shin|shins|thigh|thighs|knee|knees|face|arm|arms|hand|hands|back|bladder|bum|bottom|groin|chest)\s+"
    r"(?:is|are|'s|has|have|went|gone|turned|looks?|feels?|seems?|was|were|keeps?)\b",
    re.IGNORECASE,
)
_NEGATION_WORD = re.compile(r"\b(?:no|not|never|nothing|none)\b|n['’]?t\b", re.IGNORECASE)


# "isn't white, cold or [swollen]", "I'm not weak, numb down below or [leaking]": a negated "to be"
# (or no / never / without) before a list of a few words joined by commas and "or". Not other
# verbs: "I can't walk far or stand long, [swollen ankles]" lists what the person cannot do.
_COPULA_NEGATION = (
    r"(?:\b(?:is|are|was|were|am|ai|isn|aren|wasn|weren)\s*n['’]?t\b|(?:\b(?:is|are|was|were|am|im)|['’](?:m|s|re))\s+not\b"
    r"|\b(?:isnt|arent|wasnt|werent|aint|no|never|without|neither|nor)\b)"
)
_LIST_WORD = (
    r"(?!(?:and|but|so|then|because|cos|since|though|although|if|when|my|me|i|i'm|im|it|it's|its|he|she|his|"
    r"her|they|their|we|there|now|just|still|only|yet|sure|bothered|worried|concerned|fussed|scared|about|by|"
    r"with|that|what|how|why)\b)[\w'’]+"
)
_NEGATED_LIST = re.compile(
    rf"{_COPULA_NEGATION}(?:[\s,]+(?:(?:or|nor)\s+)?{_LIST_WORD}){{1,8}}[\s,]*(?:(?:or|nor)\s*)?$",
    re.IGNORECASE,
)
_OR = re.compile(r"\b(?:or|nor)\b", re.IGNORECASE)
_OR_NEXT = re.compile(r"^[ \t,]*(?:or|nor)\b", re.IGNORECASE)


def _in_a_denied_list(mention: Mention, text: str) -> bool:
    """The mention is a later item of a list that a negation opens ("isn't X, Y or [Z]")."""
    found = _NEGATED_LIST.search(text[: mention.start])
    return found is not None and (
        _OR.search(found.group(0)) is not None
        or _OR.search(mention.text) is not None
        or _OR_NEXT.match(text[mention.end :]) is not None
    )


def _denies(mention: Mention) -> bool:
    """A negation word outside the mention ("isn't [cold]"), or its own ("[no weakness]"), denied it."""
    return mention.negated or _DENIAL_START.match(mention.text) is not None


def carry_list_denials(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Later items of a list whose first item is negated ("no X or Y", "isn't X or Y") are too."""
    out = list(mentions)
    denying = False
    by_verb = False
    last_end = -1
    for i, mention in enumerate(out):
        glue = _OR_GLUE if by_verb else _LIST_GLUE
        # A mention inside the one before ("hurt" in "hurt my back") has no glue of its own.
        between = text[last_end : mention.start] if mention.start >= last_end else " or "
        between = _WRAPPED_AFTER_COMMA.sub(", ", between)  # a list wrapped onto the next line
        if denying and (
            not glue.match(between) or _NEW_SUBJECT.match(mention.text) or _BODY_WITH_VERB.match(mention.text)
        ):
            denying = False
        if mention.label in FINDINGS and mention.assertion == "absent" and _denies(mention):
            denying, by_verb = True, False
        elif (
            mention.label in FINDINGS
            and mention.assertion == "absent"
            and _VERB_DENIAL_START.match(mention.text)
        ):
            denying, by_verb = True, True
        elif (
            mention.label in FINDINGS
            and mention.assertion == "present"
            and (denying or _in_a_denied_list(mention, text))
        ):
            out[i] = replace(mention, assertion="absent", value=False)
            denying = True
        if denying:
            last_end = max(last_end, mention.end)
    return out


def _own_duration(before: Mention, duration: Mention, text: str) -> bool:
    """Whether ``duration`` says how long ``before`` (a risk factor or a posture) lasted."""
    if before.end > duration.start or not _OWN_DURATION_GLUE.match(text[before.end : duration.start]):
        return False
    if before.label in RISK_FACTORS:
        return True
    # "knelt on my heels (seiza) for ages", "sat cross-legged for 2 hours": how long the
    # posture lasted. A posture lasts minutes or hours, so "for 2 weeks" stays the numbness's.
    return before.label == "position_related" and bool(_POSTURE_SPAN.search(str(duration.value)))


def drop_risk_factor_durations(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Durations that belong to a risk factor or a posture said just before them are dropped."""
    out: List[Mention] = []
    for mention in mentions:
        if mention.label == DURATION_LABEL and any(_own_duration(m, mention, text) for m in out):
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


@lru_cache(maxsize=8)
def _relative_words(relatives: Tuple[str, ...]) -> str:
    """The words for a relative as one regex alternation, longest first ("" when there are none)."""
    return "|".join(map(re.escape, sorted({w for w in relatives if w}, key=len, reverse=True)))


# The relative did the falling: "my son fell off his bike", "my mum just slipped on the ice".
_ACCIDENT_AUX = r"(?:\s+(?:just|also|then|nearly|actually|recently|has|had|'s|was|got))*"
_KIN_ADJ = r"(?:little|youngest|eldest|oldest|older|younger|baby|teenage|old|elderly|big|wee|best)"
# The writer was in it too: "I was in the passenger seat", "with me in it", "we both fell".
_WRITER_IN_IT = re.compile(
    r"\b(?:me and (?:my|our|the)\b"
    r"|and (?:i|me) (?:both|were|was|fell|came|got)\b"
    r"|we (?:both|all|were|fell|came|got|crashed)\b"
    r"|both of us\b"
    r"|with me (?:in|on|on the back|as)\b"
    r"|i was (?:in|with|driving|the passenger|a passenger|sat|sitting|riding|on the back)\b"
    r"|i was (?:thrown|hurt|hit|knocked)\b"
    r"|passenger seat\b"
    r"|i (?:also|too) (?:fell|got hurt|got hit|was hurt)\b"
    r"|i (?:fell|got thrown|got hurt|hit my|landed) (?:too|as well|with (?:him|her|them))\b)",
    re.IGNORECASE,
)


def relatives_accidents(mentions: Sequence[Mention], text: str, relatives: Iterable[str]) -> List[Mention]:
    """An accident whose subject is a relative is theirs, unless the writer was in it too.

    "My son fell off his bike, and my feet tingle": the son's fall, not a spinal injury of the
    writer's. "My husband had a car crash, I was in the passenger seat": the writer's too.
    """
    words = _relative_words(tuple(relatives))
    if not words:
        return list(mentions)
    subject = re.compile(rf"\bmy (?:{_KIN_ADJ}\s+)?(?:{words}){_ACCIDENT_AUX}\s*$", re.IGNORECASE)
    # The phrase may hold the relative itself: "[son fell at] school".
    leading = re.compile(rf"(?:{_KIN_ADJ}\s+)?(?:{words}){_ACCIDENT_AUX}\b", re.IGNORECASE)
    involved = _WRITER_IN_IT.search(text) is not None
    out: List[Mention] = []
    for m in mentions:
        lead = leading.match(m.text)
        before = text[: m.start + (lead.end() if lead else 0)]
        if m.label != "after_trauma":
            pass
        elif m.assertion == "present" and not involved and subject.search(before):
            m = replace(m, assertion="family")
        elif m.assertion == "family" and involved:
            m = replace(m, assertion="present")
        out.append(m)
    return out


# The writer's own body named inside the sign: "my wife's a nurse and she can't find a pulse in
# my foot", "my husband noticed my face drooping".
_WRITERS_BODY = re.compile(
    r"\b(?:my|me|ma|mi)\s+(?:left\s+|right\s+|own\s+)?(?:foot|feet|leg|legs|face|arm|arms|toes|calf|calves|"
    r"thigh|thighs|ankle|ankles|mouth|lip|lips|eye|eyes|speech|words|bladder|bum|bottom|groin|back|spine)\b",
    re.IGNORECASE,
)


def writers_own_body(mentions: Sequence[Mention]) -> List[Mention]:
    """A sign read as a relative's whose own words name the writer's body is the writer's."""
    return [
        replace(m, assertion="present")
        if m.assertion == "family" and m.label in FINDINGS and _WRITERS_BODY.search(m.text)
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
        and not (m.label in BACKGROUND and claimed(m, text))
        else m
        for m in mentions
    ]


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FIRST_PERSON = frozenset({"i", "i've", "ive", "i'm", "im", "i'd", "id"})
# "me" as in "me sciatica", "me chemo" (northern English).
_POSSESSIVE = frozenset({"my", "our", "me"})
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


# How long it has gone on: "left sided sciatica going on 10 days now", "diabetes for 12 years".
_ONGOING_FOR = re.compile(
    r"^\W*(?:(?:has\s+been|been|is|'s)\s+)?(?:going\s+on|for|since|on\s+and\s+off\s+for)\s+(?:the\s+(?:last|past)\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|few|couple|several|about|around|nearly|over)\b",
    re.IGNORECASE,
)


def claimed(mention: Mention, text: str) -> bool:
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
    return any(p.match(after) is not None for p in (_CLAIM_AFTER, _WHEN_IT_HAPPENED, _ONGOING_FOR))


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
        and not claimed(m, text)
        and not (symptoms and m.label in _RED_FLAG_BACKGROUND)
        else m
        for m in mentions
    ]


# The writer speaks of someone else's body or symptoms now.
_THIRD_PERSON = re.compile(r"\b(he|she|he's|she's|hes|shes|his|her|him)\b", re.IGNORECASE)
# The writer says they have symptoms themselves: "I can't feel", "I've got".
# "I'm noticing numb toes", "I'm 30 with tingling feet", "here about my own feet".
_FIRST_PERSON_SUBJECT = re.compile(
    r"\b(i|i've|ive|i'm|im)\s+(have|got|get|keep|can't|cant|cannot|can|feel|been|started|woke|"
    r"went|lost|fell|hurt|had|noticing|noticed|getting|having|experiencing|suffering|struggling)\b"
    # "I am numb", "I'm in agony"; not "I am his carer", "I am worried about my dad".
    r"|\b(?:i\s+am|i\s*'m|im)\s+(?:so\s+|really\s+|very\s+)?(?:numb|tingly|tingling|weak|dizzy|unable|not\s+able|"
    r"in\s+(?:pain|agony)|losing|feeling|wobbly|unsteady|off\s+balance)\b"
    # "I'm 30 with tingling feet"; not "I'm 58 and diabetic. My dad's been soiling himself".
    r"|\b(?:i'm|im|i\s+am)\s+\d{1,3}\s+(?:with|and\s+my)\b"
    r"|\bmy\s+own\b",
    re.IGNORECASE,
)
_MY = re.compile(r"\bmy\b", re.IGNORECASE)
_MY_BEFORE = re.compile(r"\bmy\s+$", re.IGNORECASE)


def _writer_has_symptoms(mentions: Sequence[Mention], text: str, relatives: Iterable[str] = ()) -> bool:
    """A body part or finding the lexicon found is the writer's own ("my feet", "my back hurts").

    Not "my" before a relative the phrase starts with: "my [dad fell in] the garden".
    """
    if _FIRST_PERSON_SUBJECT.search(text):
        return True
    words = _relative_words(tuple(relatives))
    kin_first = re.compile(rf"(?:{_KIN_ADJ}\s+)?(?:{words})\b", re.IGNORECASE) if words else None

    def writers(m: Mention) -> bool:
        lead = kin_first.match(m.text) if kin_first else None
        if lead:
            return _MY.search(m.text[lead.end() :]) is not None
        return bool(_MY.search(m.text) or _MY_BEFORE.search(text[: m.start]))

    return any((m.label == LOCATION_LABEL or m.label in FINDINGS) and writers(m) for m in mentions)


# A time that puts a relative's sign in the past: "years ago", "before he lost his leg", "when she
# was alive", "back in 2010", "used to".
_LONG_AGO = re.compile(
    r"\b(?:years?|yrs?|decades?|months?|ages|(?:a\s+)?long\s+time|long)\s+(?:ago|back|before|earlier)\b"
    r"|\b(?:last|previous)\s+year\b|\bthe\s+year\s+before\s+last\b"
    r"|\bback\s+in\s+(?:(?:19|20)\d\d|the\s+day|the\s+(?:19|20)?\d0['’]?s|the\s+(?:sixties|seventies|eighties|nineties)|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\bin\s+(?:19|20)\d\d\b|\bin\s+the\s+(?:19|20)?\d0['’]?s\b|\bused\s+to\b"
    r"|\bwhen\s+(?:he|she|they|i|we)\s+(?:was|were)\s+(?:still\s+)?(?:alive|younger|young|little|small|"
    r"a\s+kid|a\s+child|a\s+baby|a\s+teenager|growing\s+up|at\s+school|dying)\b"
    r"|\bbefore\s+(?:he|she|they)\s+(?:\w+\s+)?(?:died|passed\s+away|passed\s+on|passed(?!\s+out)|lost|"
    r"was\s+diagnosed|got\s+diagnosed|were\s+diagnosed|went\s+into\s+(?:a\s+)?(?:home|hospital|care))\b"
    r"|\bbefore\s+(?:he|she|they)\s+had\s+(?:his|her|their|a|an|the)\s+(?:\w+\s+)?(?:heart\s+attack|"
    r"stroke|amputation|operation|op|surgery|bypass|leg|foot|toes?|diagnosis|transplant|stent|cancer)\b"
    r"|\bbefore\s+(?:his|her|their)\s+(?:\w+\s+)?(?:death|amputation|heart\s+attack|stroke|operation|op|"
    r"surgery|bypass|diagnosis|transplant|funeral|cancer)\b"
    r"|\b(?:he|she|they)\s+(?:died|passed\s+away|passed\s+on)\b|\bmy\s+late\b",
    re.IGNORECASE,
)
# A time that says it is happening now: "now", "today", "an hour ago", "still", "since last year".
_NOW = re.compile(
    r"\b(?:now|right\s+now|today|tonight|this\s+(?:morning|afternoon|evening|week)|at\s+the\s+moment|"
    r"currently|yesterday|last\s+night|still|suddenly|since|(?:\d+|a|an|one|two|three|few|couple\s+of|several)"
    r"\s+(?:minutes?|mins?|hours?|hrs?)\s+ago)\b",
    re.IGNORECASE,
)
# A recent time that makes a relative's sign a report of now, not their history.
_RECENT_NOW = re.compile(
    r"\b(?:today|tonight|yesterday|last\s+night|this\s+(?:morning|afternoon|evening)|right\s+now|just\s+now|"
    r"at\s+the\s+moment|since\s+(?:yesterday|this\s+morning|last\s+night|the\s+weekend|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|wed|thurs|fri|sat|sun)|"
    r"(?:\d+|a|an|one|two|three|few|couple\s+of)\s+(?:minutes?|mins?|hours?|hrs?|days?)\s+ago)\b",
    re.IGNORECASE,
)
# Where a sentence turns from one time to another: "..., but", "... and now", "these days".
_TIME_TURN = re.compile(r"\bbut\b|(?:\band\b|,)\s*now\b|\bnowadays\b|\bthese\s+days\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n]")
# Background whose past is the point ("my dad had cancer years ago and now his back hurts").
_TIMELESS = RISK_FACTORS | {"recent_infection"}


def _piece(text: str, start: int, end: int) -> Tuple[int, int]:
    """The stretch of one time around ``text[start:end]``: its sentence, cut where the time turns."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    found = _SENTENCE_END.search(text, end)
    right = found.start() if found else len(text)
    turns = [m.start() for m in _TIME_TURN.finditer(text, left, right)]
    left = max([t for t in turns if t <= start] + [left])
    right = min([t for t in turns if t >= end] + [right])
    return left, right


# "my 4 year old", "our 18-month-old": a child named by age.
_CHILD_BY_AGE = r"(?:my|our)\s+\d{1,2}\s*(?:-\s*)?(?:year|yr|month)s?(?:\s*-\s*|\s+)old"


def _owner_pattern(relatives: Iterable[str]) -> re.Pattern[str]:
    words = _relative_words(tuple(relatives)) or "(?!)"
    return re.compile(
        rf"\b(?:(?P<rel>(?:(?:my|our|his|her)\s+)?(?:{words})(?:['’]s|s)?|{_CHILD_BY_AGE}|he|she|him|his|her|he['’]s|she['’]s|"
        rf"hes|shes)|(?P<me>i['’]m|im|i['’]ve|ive|i['’]d|i|me|my|myself|mine))\b",
        re.IGNORECASE,
    )


def _a_relatives_past(mention: Mention, text: str, owner: re.Pattern[str]) -> bool:
    """The mention is a relative's ("my dad's foot", "his legs") and set in the past."""
    if mention.label in _TIMELESS or mention.assertion not in ("present", "family"):
        return False
    left, right = _piece(text, mention.start, mention.end)
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, mention.start)), default=0)
    cues = list(owner.finditer(text, sentence_start, mention.end))
    if not cues or cues[-1].group("rel") is None:
        return False  # the nearest person named before it is the writer, or nobody
    stretch = text[left:right]
    return _LONG_AGO.search(stretch) is not None and _NOW.search(stretch) is None


def relatives_past(mentions: Sequence[Mention], text: str, relatives: Iterable[str]) -> List[Mention]:
    """A relative's sign set in the past ("my mum's foot went blue years ago") is family history."""
    owner = _owner_pattern(relatives)
    return [replace(m, assertion="family") if _a_relatives_past(m, text, owner) else m for m in mentions]


# Findings that matter only beside the writer's own legs (cauda equina, a spinal infection): a
# relative's is theirs. A relative's stroke, clot or breathing sign stays an emergency whoever has it.
_COMBINING = frozenset({"back_pain", "fever", "leg_weakness", "bladder_bowel_problems", "cancer_history"})


def relatives_combining_signs(
    mentions: Sequence[Mention], text: str, relatives: Iterable[str]
) -> List[Mention]:
    """ "My mum's back is killing her and my legs tingle": the back pain is the mum's.

    Only when the writer has symptoms too (else the relative is the patient) and the nearest person
    named before the sign's last word is someone else.
    """
    if not _writer_has_symptoms(mentions, text, relatives):
        return list(mentions)
    owner = _owner_pattern(relatives)
    out = []
    for m in mentions:
        if m.label in _COMBINING and m.assertion == "present" and not _WRITERS_BODY.search(m.text):
            sentence_start = max((e.end() for e in _SENTENCE_END.finditer(text, 0, m.start)), default=0)
            cues = list(owner.finditer(text, sentence_start, m.end))
            if cues and cues[-1].group("rel") is not None:
                m = replace(m, assertion="family")
        out.append(m)
    return out


def _a_relatives_sign_now(mention: Mention, text: str) -> bool:
    """A relative's sign with a recent time: "my dad's been wetting himself since tuesday"."""
    if mention.assertion != "family" or mention.label not in FINDINGS or mention.label in _TIMELESS:
        return False
    left, right = _piece(text, mention.start, mention.end)
    stretch = text[left:right]
    return _RECENT_NOW.search(stretch) is not None and _LONG_AGO.search(stretch) is None


def relative_is_the_patient(
    mentions: Sequence[Mention], text: str, relatives: Iterable[str] = ()
) -> List[Mention]:
    """Someone writing for a relative: the relative's "family" mentions describe the patient.

    Not the relative's past ("my dad's foot went white before he lost his leg"), which stays history.
    """
    if not any(m.assertion == "family" for m in mentions) or _writer_has_symptoms(mentions, text, relatives):
        return list(mentions)
    owner = _owner_pattern(relatives)
    past = {(m.label, m.start, m.end) for m in mentions if _a_relatives_past(m, text, owner)}
    symptoms = [m for m in mentions if m.label == SYMPTOM_LABEL and (m.label, m.start, m.end) not in past]
    theirs = (
        bool(symptoms)
        and (_THIRD_PERSON.search(text) is not None or all(m.assertion == "family" for m in symptoms))
    ) or any(_a_relatives_sign_now(m, text) for m in mentions)
    if not theirs:
        return list(mentions)
    out = []
    for m in mentions:
        if m.assertion != "family" or (m.label, m.start, m.end) in past:
            out.append(m)
        elif m.label in FINDINGS:
            out.append(replace(m, assertion="present" if m.value else "absent"))
        else:
            out.append(replace(m, assertion="present"))
    return out


# Long-term diagnoses a writer may guess at ("I think it's cancer"); causes stay topics either way.
_DIAGNOSES = frozenset({"cancer_history", "diabetes", "autoimmune_disease", "known_infection"})
# A guess just before the diagnosis: "I think it's", "convinced I've got", "googled it, reckon it's".
_GUESS_BEFORE = re.compile(
    r"\b(?:think|thinking|reckon|reckoning|convinced|bet|guess|suspect|feel\s+like|google\s+says|googled\s+\w+"
    r"|(?:i['’]?m|i\s+am|im)\s+(?:sure|certain|positive|100%\s+sure))"
    r"\s+(?:that\s+)?(?:it['’]s|it\s+is|its|this\s+is|that['’]s|it\s+(?:must|could|might|may|has\s+to|will)\s+be|"
    r"it['’]ll\s+be|i['’]ve\s+got|ive\s+got|i\s+have(?:\s+got)?|i\s+got|i\s+(?:must|might|could|may)\s+have)"
    r"\s+(?:(?:a|an|some|like)\s+)*(?:(?:kind|sort|type|form)\s+of\s+)?$",
    re.IGNORECASE,
)


# The writer's own injury or stroke-like episode years ago: "broke two vertebrae in 2005, fine
# since", "fell off my bike when I was 12", "Bell's palsy in 2019, sorted now". Numbness now is not
# "after" it, so it raises no spinal-injury or stroke flag; a recent time in the same sentence
# ("...and this morning I fell again") keeps it.
_OWN_PAST_SIGNS = frozenset({"after_trauma", "face_arm_speech_vision", "leg_weakness"})
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_YEARS_AGO = re.compile(
    rf"\b(?:back\s+)?in\s+(?:(?:early|late|mid)\s+)?(?:{_MONTH}\s+)?(?:19|20)\d\d\b|\bback\s+in\s+(?:19|20)?\d\d\b|\b(?:\d+|a\s+few|a\s+couple\s+of|several|many|some)"
    r"\s+(?:years?|yrs?|decades?)\s+(?:ago|back)\b|\b(?:years|decades|ages|a\s+long\s+time)\s+(?:ago|back)\b"
    r"|\bwhen\s+i\s+was\s+(?:\d{1,2}|young|younger|little|small|at\s+school|in\s+my\s+\w+|a\s+(?:kid|child|teenager|"
    r"boy|girl|lad|lass|student|baby))\b|\bas\s+a\s+(?:kid|child|teenager|boy|girl|student)\b",
    re.IGNORECASE,
)
# A recent time (or a fresh fall: "and this morning I fell again") keeps an old injury's sentence now.
_RECENT = re.compile(_RECENT_NOW.pattern + r"|\b(?:again|earlier|last\s+week)\b", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[,.!?;\n]|\b(?:and|but|so|then|now)\b", re.IGNORECASE)
# Words a message may open with before what it says: "hi there, ...", "please help, ...", "ok so".
_OPENING = re.compile(
    r"^[\s,]*(?:(?:(?:hi|hey|hello|hiya)(?:\s+there)?|please|pls|plz|help|ok|okay|so|um|erm|well|doctor)\b[\s,!.]*)*",
    re.IGNORECASE,
)


def without_opening(text: str) -> str:
    """``text`` without the greeting or plea it opens with."""
    return _OPENING.sub("", text, count=1)


# A line break after a comma goes on with the same sentence ("I had a TIA,\nface droop for ...").
_OWN_SENTENCE_END = re.compile(r"[.!?;]|(?<![,\s])\s*\n")
_PAST_GOES_ON = re.compile(r"\s*(?:then\s+)?(?:had|got|needed|developed|ended\s+up\s+with)\b", re.IGNORECASE)


def own_past_episodes(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """The writer's own fall, weakness or stroke-like episode years ago is history, not a sign now."""
    out = []
    for m in mentions:
        if m.label in _OWN_PAST_SIGNS and m.assertion == "present":
            left = max((e.end() for e in _OWN_SENTENCE_END.finditer(text, 0, m.start)), default=0)
            found = _OWN_SENTENCE_END.search(text, m.end)
            sentence = text[left : found.start() if found else len(text)]
            # The time must be in the mention's own clause: "hip replaced years ago and my
            # vision is blurry" dates the hip, not the eye.
            ends = [e for e in _CLAUSE_END.finditer(text, left, m.start)]
            start = ends[-1].end() if ends else left
            # "slipped a disc in June 2018 and had foot drop": a clause going on in the past tense
            # with no subject of its own shares the time of the one before.
            if len(ends) > 0 and _PAST_GOES_ON.match(text[start : m.start]):
                start = ends[-2].end() if len(ends) > 1 else left
            after = _CLAUSE_END.search(text, m.end)
            clause = text[start : min(after.start() if after else len(text), left + len(sentence))]
            # A time that opens the sentence dates all of it: "Back in March 2021 I had a TIA, face
            # droop for 10 minutes".
            dated = _YEARS_AGO.search(clause) or _YEARS_AGO.match(without_opening(sentence))
            if dated and not _RECENT.search(sentence):
                m = replace(m, assertion="historical")
        out.append(m)
    return out


def guessed_diagnoses(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """A diagnosis the writer guesses at ("now I think it's cancer") is a worry, not their history."""
    return [
        replace(m, assertion="hypothetical")
        if m.label in _DIAGNOSES and m.assertion == "present" and _GUESS_BEFORE.search(text[: m.start])
        else m
        for m in mentions
    ]


def words_of_denials(mentions: Sequence[Mention]) -> List[Mention]:
    """A symptom or body part said only inside a denial is not the complaint or where it is.

    "nothing numb round the back passage" denies saddle numbness: its "numb" is no numbness,
    and "legs are strong" denies weakness without putting the numbness in both legs.
    """
    denials = [(m.start, m.end) for m in mentions if m.label in FINDINGS and m.value is False]
    return [
        m
        for m in mentions
        if not (
            m.label in (SYMPTOM_LABEL, LOCATION_LABEL)
            and any(start <= m.start and m.end <= end for start, end in denials)
        )
    ]


# A Raynaud's diagnosis named, and a leg that has gone cold and pale and stays so.
_RAYNAUDS_NAME = re.compile(r"r[ae]y?naud", re.IGNORECASE)
_STAYS = re.compile(
    r"\b(?:stayed|stays|staying|still|won'?t warm|hasn'?t (?:come|gone) back|not (?:come|gone) back"
    r"|for (?:hours|ages|the last|the past|a few hours|an hour|\d+ hours)|all (?:day|morning|afternoon|night)"
    r"|since (?:this morning|lunch|breakfast|last night|\d))",
    re.IGNORECASE,
)


def named_raynauds_yields_to_a_lasting_cold_leg(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """ "I have Raynaud's but today my foot went white and cold and has stayed that way": the
    named diagnosis does not explain away a leg that stays cold and pale (red-flags.md: acute
    limb ischaemia). Only the name is set aside; a colour change told with its trigger stays.
    """
    lasting = any(
        m.label == "cold_pale_or_blue_leg" and m.assertion == "present" and _STAYS.search(text[m.start :])
        for m in mentions
    )
    if not lasting:
        return list(mentions)
    return [
        m
        for m in mentions
        if not (m.label == "cold_triggers_colour_change" and _RAYNAUDS_NAME.search(m.text))
    ]


# "no problem swallowing" ("no problem" alone is a pseudo rule: "no problem, ..." says yes) and
# "nothing numb down below" ("nothing" alone is no cue: "I feel nothing"): the denial word just
# before a sign whose own words start with the problem.
_DENIED_RIGHT_BEFORE = re.compile(r"\b(?:no|nothing|nothing'?s|nothing is)\s+$", re.IGNORECASE)
_PROBLEM_WORD = re.compile(
    r"^(?:problems?|troubles?|issues?|difficult(?:y|ies)|numb\w*|tingl\w*)\b", re.IGNORECASE
)


def denied_right_before(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """A sign said right after "no" or "nothing" that ConText could not reach is denied."""
    return [
        replace(m, assertion="absent", value=False)
        if m.label in FINDINGS
        and m.assertion == "present"
        and _PROBLEM_WORD.match(m.text)
        and _DENIED_RIGHT_BEFORE.search(text[: m.start])
        else m
        for m in mentions
    ]


def clauses_after_a_comma(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """A sign said as its own clause after a comma is not denied by a negation before the comma."""
    return [
        replace(m, assertion="present", value=True)
        if m.label in FINDINGS
        and m.assertion == "absent"
        and m.negated
        and _CLAUSE_AFTER_COMMA.search(text[: m.start])
        and _BODY_WITH_VERB.match(m.text)
        and not _NEGATION_WORD.search(m.text)
        else m
        for m in mentions
    ]


def correct(
    mentions: Sequence[Mention], text: str, question: bool, relatives: Iterable[str] = ()
) -> List[Mention]:
    """Every correction above, in order (``relatives``: the words for a relative)."""
    fixed = denied_right_before(sorted(mentions, key=lambda m: (m.start, m.end)), text)
    fixed = clauses_after_a_comma(fixed, text)
    fixed = carry_list_denials(fixed, text)
    fixed = imagined_conditions(fixed, text)
    fixed = words_of_denials(fixed)
    fixed = drop_risk_factor_durations(fixed, text)
    fixed = relatives_habits(fixed, text, relatives)
    fixed = relatives_past(fixed, text, relatives)
    fixed = relatives_accidents(fixed, text, relatives)
    fixed = relative_is_the_patient(fixed, text, relatives)
    fixed = relatives_combining_signs(fixed, text, relatives)
    fixed = writers_own_body(fixed)
    fixed = own_past_episodes(fixed, text)
    fixed = guessed_diagnoses(fixed, text)
    fixed = named_raynauds_yields_to_a_lasting_cold_leg(fixed, text)
    fixed = questions_name_topics(fixed, text, question)
    return questions_are_worries(fixed, question, text)
