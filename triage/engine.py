"""The triage engine: findings in, level + red flags + ranked causes + next questions out.

Deterministic and table-driven: every rule, weight and wording comes from the table
(``triage/table.py``); nothing here is written per cause or per red flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Mapping, Sequence, Tuple

from triage.contract import TriageLevel
from triage.features import Findings, Tri, derive_features
from triage.table import Cause, Condition, Question, RedFlag, Table

MAX_CAUSES = 5
ABSENT_SUPPORT_FACTOR = 0.5
MAX_RISK_QUESTIONS = 2
# Phases in the order the interview asks them.
# Red-flag questions with conditions wait for the description their conditions read.
PHASE_ORDER = ("screen", "red_flag", "describe", "red_flag_if", "risk")


@dataclass(frozen=True)
class RankedCause:
    """One possible cause with the features that speak for and against it."""

    cause_id: str
    score: float
    supporting: Tuple[str, ...]
    opposing: Tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The engine's answer for one set of findings."""

    level: TriageLevel
    red_flags: Tuple[RedFlag, ...]
    possible_red_flags: Tuple[RedFlag, ...]
    causes: Tuple[RankedCause, ...]

    @property
    def likely_causes(self) -> List[str]:
        """Cause ids, most likely first (at most ``MAX_CAUSES``)."""
        return [c.cause_id for c in self.causes]


def _holds(term: str, features: Mapping[str, Tri]) -> bool:
    if term.startswith("!"):
        return features.get(term[1:]) is not True
    return features.get(term) is True


def clause_holds(condition: Condition, features: Mapping[str, Tri]) -> bool:
    """Every term of the clause holds."""
    return all(_holds(t, features) for t in condition.all_of)


def _holds_if_unsure(
    condition: Condition, features: Mapping[str, Tri], unsure: FrozenSet[str], alone: bool
) -> bool:
    """The clause would hold if every "not sure" answer it needs were a yes.

    Unless ``alone``, some of the clause's findings must also be present: a single
    "not sure" is usually a vague no, while "not sure" on top of other warning signs
    is a reason to be seen soon.
    """
    needed = [t for t in condition.all_of if not _holds(t, features)]
    if not needed or not all(not t.startswith("!") and t in unsure for t in needed):
        return False
    return alone or any(not t.startswith("!") and _holds(t, features) for t in condition.all_of)


def _by_urgency(flags: Iterable[RedFlag]) -> Tuple[RedFlag, ...]:
    return tuple(sorted(flags, key=lambda f: -f.level.urgency))


def _fired(features: Mapping[str, Tri], table: Table) -> Tuple[RedFlag, ...]:
    return _by_urgency(f for f in table.red_flags.values() if any(clause_holds(c, features) for c in f.when))


def fired_red_flags(findings: Findings, table: Table) -> List[RedFlag]:
    """Red flags whose findings are present, most urgent first."""
    return list(_fired(derive_features(findings), table))


def _possible_red_flags(
    features: Mapping[str, Tri], unsure: FrozenSet[str], table: Table, fired: Sequence[RedFlag]
) -> Tuple[RedFlag, ...]:
    fired_ids = {f.id for f in fired}
    return _by_urgency(
        f
        for f in table.red_flags.values()
        if f.id not in fired_ids
        and any(_holds_if_unsure(c, features, unsure, f.unsure_alone) for c in f.when)
    )


def _self_care_fits(features: Mapping[str, Tri], table: Table) -> bool:
    rule = table.self_care
    if not all(_holds(t, features) for t in rule.requires_all):
        return False
    if rule.requires_any and not any(_holds(t, features) for t in rule.requires_any):
        return False
    return not any(clause_holds(c, features) for c in rule.consult_if)


def _score(cause: Cause, features: Mapping[str, Tri]) -> RankedCause | None:
    if any(features.get(name) is False for name in cause.excluded_if_absent):
        return None
    score = cause.prior
    supporting: List[str] = []
    opposing: List[str] = []
    for name, weight in cause.supports.items():
        value = features.get(name)
        if value is True:
            score += weight
            supporting.append(name)
        elif value is False:
            score -= ABSENT_SUPPORT_FACTOR * weight
            opposing.append(name)
    for name, weight in cause.against.items():
        if features.get(name) is True:
            score -= weight
            opposing.append(name)
    return RankedCause(cause.id, round(score, 4), tuple(supporting), tuple(opposing))


def rank_causes(
    features: Mapping[str, Tri], table: Table, fired: Sequence[RedFlag] = (), limit: int = MAX_CAUSES
) -> Tuple[RankedCause, ...]:
    """Causes by score; those tied to a fired red flag come first, most urgent flag first.

    Then the flags' other causes of the same picture ("both legs and back pain" is cauda equina
    first, but a tumour or infection pressing on the cord can look the same), then the rest.
    """
    scored = [r for r in (_score(c, features) for c in table.causes.values()) if r is not None]
    flagged = [f.cause for f in fired if f.cause is not None]
    flagged += [c for f in fired for c in f.also_causes]
    order = {cause_id: i for i, cause_id in reversed(list(enumerate(flagged)))}
    # Stable ids order breaks score ties so the output is deterministic.
    scored.sort(key=lambda r: (order.get(r.cause_id, len(order)), -r.score, r.cause_id))
    return tuple(scored[:limit])


def _level(
    features: Mapping[str, Tri],
    fired: Sequence[RedFlag],
    possible: Sequence[RedFlag],
    table: Table,
) -> TriageLevel:
    level = TriageLevel.SELF_CARE if _self_care_fits(features, table) else TriageLevel.CONSULTATION
    for flag in fired:
        level = level.at_least(flag.level)
    for flag in possible:
        level = level.at_least(flag.unsure_level or TriageLevel.URGENT)
    return level


def assess(findings: Findings, table: Table, fired_before: Iterable[str] = ()) -> Assessment:
    """Triage level, fired and possible red flags, and ranked causes for ``findings``.

    ``fired_before`` names red flags already raised by an earlier reading (a single message
    read alone); they stay fired even if the findings put together no longer raise them
    ("toes go white in the cold" earlier, "my foot is cold, pale and blue" now): a level never
    goes down. Unknown ids are ignored.
    """
    features = derive_features(findings)
    fired = _fired(features, table)
    earlier = [table.red_flags[i] for i in dict.fromkeys(fired_before) if i in table.red_flags]
    fired = _by_urgency([*fired, *(f for f in earlier if f not in fired)])
    possible = _possible_red_flags(features, findings.unsure, table, fired)
    return Assessment(
        level=_level(features, fired, possible, table),
        red_flags=fired,
        possible_red_flags=possible,
        causes=rank_causes(features, table, fired),
    )


def _answered(slot: str, question: Question, findings: Findings, asked: FrozenSet[str]) -> bool:
    if slot in asked or slot in findings.unsure or slot in findings.flags:
        return True
    if question.covers:
        # A grouped screen is settled once every finding it covers is known.
        return all(findings.get(f) is not None or f in findings.unsure for f in question.covers)
    return getattr(findings, slot, None) is not None


def _eligible(question: Question, features: Mapping[str, Tri]) -> bool:
    return not question.ask_if or any(clause_holds(c, features) for c in question.ask_if)


def _top(causes: Sequence[RankedCause], n: int = 3) -> Tuple[str, ...]:
    return tuple(c.cause_id for c in causes[:n])


# Two contrasting answers for risk questions that are not yes/no findings.
_WHAT_IF: Dict[str, Tuple[Dict[str, Tri], ...]] = {
    "age": (
        {"age_under_40": False, "age_over_50": True, "age_over_65": True},
        {"age_under_40": True, "age_over_50": False, "age_over_65": False},
    ),
}


def _leaders(scores: Mapping[str, float], n: int = 2) -> Tuple[str, ...]:
    return tuple(sorted(scores, key=lambda c: (-scores[c], c))[:n])


def _risk_questions(features: Mapping[str, Tri], table: Table, candidates: Sequence[str]) -> List[str]:
    """Risk questions whose answer, one way or the other, would change the two leading causes.

    Churn further down the list is not worth a question; a change of leader counts most.
    Only the causes that mention a question's features are re-scored for its "what if".
    """
    base_scores = {c.id: r.score for c in table.causes.values() if (r := _score(c, features)) is not None}
    base = _leaders(base_scores)
    mentions = {
        c.id: c.supports.keys() | c.against.keys() | set(c.excluded_if_absent) for c in table.causes.values()
    }
    useful: List[Tuple[float, str]] = []
    for slot in candidates:
        change = 0.0
        # A finding is its own feature, so "what if" needs no re-derivation.
        for what_if in _WHAT_IF.get(slot, ({slot: True}, {slot: False})):
            scores = dict(base_scores)
            changed = {**features, **what_if}
            for cause in table.causes.values():
                if not what_if.keys().isdisjoint(mentions[cause.id]):
                    ranked = _score(cause, changed)
                    if ranked is None:
                        scores.pop(cause.id, None)
                    else:
                        scores[cause.id] = ranked.score
            top = _leaders(scores)
            if top[:1] != base[:1]:
                change += 2.0
            elif set(top) != set(base):
                change += 1.0
        if change > 0:
            useful.append((change, slot))
    useful.sort(key=lambda item: (-item[0], item[1]))
    return [slot for _, slot in useful[:MAX_RISK_QUESTIONS]]


def next_questions(findings: Findings, table: Table, asked: Iterable[str] = ()) -> List[str]:
    """Slots still worth asking, in interview order (first is asked next).

    Red-flag screening first, then the description, then the red-flag questions that
    only some descriptions call for, then only the risk factors that could change the
    ranking of the leading causes (at most ``MAX_RISK_QUESTIONS``, counting those already
    asked). ``asked`` names slots already put to the person.
    """
    asked_set = frozenset(asked)
    features = derive_features(findings)
    by_phase: Dict[str, List[str]] = {phase: [] for phase in PHASE_ORDER}
    for slot, question in table.questions.items():
        if _answered(slot, question, findings, asked_set):
            continue
        # A sign the screen asked about and that is still unknown was not denied ("no" sets
        # each one): after a "yes" or "not sure" every such sign is asked, whatever ask_if says.
        screened = question.phase == "red_flag" and _covered_by_asked_screen(slot, table, asked_set)
        if not screened and not _eligible(question, features):
            continue
        if slot == "side" and features.get("side_both") is not None:
            continue  # the location already said which side ("left foot", "both feet")
        if question.phase == "red_flag" and _covered_by_open_screen(slot, findings, table, asked_set):
            continue
        conditional = question.phase == "red_flag" and bool(question.ask_if) and not screened
        by_phase["red_flag_if" if conditional else question.phase].append(slot)
    already = sum(1 for s in asked_set if s in table.questions and table.questions[s].phase == "risk")
    budget = max(0, MAX_RISK_QUESTIONS - already)
    risk = _risk_questions(features, table, by_phase["risk"])[:budget] if budget else []
    return [slot for phase in PHASE_ORDER[:-1] for slot in by_phase[phase]] + risk


def _covered_by_asked_screen(slot: str, table: Table, asked: FrozenSet[str]) -> bool:
    """A finding listed by a grouped screen question that has been put to the person."""
    return any(slot in q.covers and screen in asked for screen, q in table.questions.items())


def _covered_by_open_screen(slot: str, findings: Findings, table: Table, asked: FrozenSet[str]) -> bool:
    """A finding covered by a screen question not yet answered waits for that screen."""
    for screen_slot, question in table.questions.items():
        if slot in question.covers and not _answered(screen_slot, question, findings, asked):
            return True
    return False


def reason_phrases(names: Iterable[str], table: Table, present: bool) -> List[str]:
    """The table's wording for each feature ("you have back pain")."""
    wording = table.features
    return [wording[n].present if present else wording[n].absent for n in names if n in wording]
