"""A sign imagined in a condition put to the assistant, not reported.

"If my leg went cold and white, how fast should I get help?", "if I fell and then my legs went
numb, would that be an emergency?", "if the numbness ever moved up and I couldn't swallow, would
you tell me to ring 999?": an "if" clause told in the past tense or with "ever", answered by a
question with "would" or "how fast", is the second conditional of English: it imagines. ConText's
cues only see "if I had", "if it ever"; the clause's own subject ("if the numbness ever") hides
them.

Present-tense conditions stay reports ("if I walk, my calves go numb" is a habit the writer has),
and so do past-tense ones answered without "would" ("if I tried to wee nothing came out, is that
bad?" may be a retention told loosely): a missed emergency costs more than a false alarm.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import List, Sequence

from clinical_nlp.mention import Mention
from triage.contract import FINDINGS

# "if" opening a sentence (or after "what", "say", "and", "but", "so"), then its clause up to a
# comma, the question's own opening word, or the end of the sentence.
_IF_CLAUSE = re.compile(
    r"(?:^|(?<=[.!?;:,\n…])\s*|\b(?:what|say|and|but|so|hypothetically|hypothetical|please|help|hi|hey|"
    r"hello|ok|okay|question|doc|doctor|nurse|just\s+wondering|wondering)\s+)if\b"
    r"(?P<clause>[^,.!?;\n…]*?)"
    r"(?=\s*,|\s+(?:would|could|might|how|what)\b|\s*[.!?;\n…]|$)",
    re.IGNORECASE,
)
# "ever" or "were to" imagine whatever the question; so does a past tense ("went", "fell",
# "-ed") answered by "would" or "how fast".
_EVER = re.compile(r"\b(?:ever|were\s+to|was\s+to)\b", re.IGNORECASE)
_PAST = re.compile(
    r"\b(?:went|fell|got|came|became|began|turned|lost|broke|woke|couldn't|could\s+not|"
    r"didn't|did\s+not|had|were|[a-z]{2,}ed)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"^[\s,.…]*(?:then\s+)?(?:[^.!;\n…]*\?|(?:what|how|should|would|could|do|does|is|will|can)\b)",
    re.IGNORECASE,
)
_WOULD_QUESTION = re.compile(
    r"^[\s,.…]*(?:then\s+)?(?:would|could|might|how\s+(?:fast|soon|quickly|urgent(?:ly)?)|"
    r"what\s+(?:would|will|happens)|(?:will|would)\s+(?:that|it|this))\b",
    re.IGNORECASE,
)


def _imagined(clause: str, after: str) -> bool:
    if _EVER.search(clause):
        return _QUESTION.match(after) is not None
    return _PAST.search(clause) is not None and _WOULD_QUESTION.match(after) is not None


def imagined_conditions(mentions: Sequence[Mention], text: str) -> List[Mention]:
    """Findings inside an imagined "if" clause put to the assistant are hypothetical."""
    spans = [
        (m.start("clause"), m.end("clause"))
        for m in _IF_CLAUSE.finditer(text)
        if _imagined(m.group("clause"), text[m.end("clause") :])
    ]
    if not spans:
        return list(mentions)
    return [
        replace(m, assertion="hypothetical")
        if m.label in FINDINGS
        and m.assertion == "present"
        and any(start <= m.start and m.end <= end for start, end in spans)
        else m
        for m in mentions
    ]
