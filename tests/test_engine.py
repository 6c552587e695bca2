"""The triage engine, parametrized over every row of the table."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import FEATURE_DESCRIPTORS, findings_for
from triage.contract import FINDINGS, TriageLevel
from triage.engine import MAX_CAUSES, assess, fired_red_flags, next_questions
from triage.features import ALL_FEATURES, Findings, derive_features
from triage.table import load_table

TABLE = load_table()
CLAUSES = [(flag.id, i) for flag in TABLE.red_flags.values() for i in range(len(flag.when))]


def test_feature_fixtures_cover_every_derived_feature():
    assert set(FEATURE_DESCRIPTORS) == ALL_FEATURES - set(FINDINGS)
    for feature, descriptors in FEATURE_DESCRIPTORS.items():
        assert derive_features(Findings(**descriptors))[feature] is True, feature


@pytest.mark.parametrize("cause_id", sorted(TABLE.causes))
def test_each_cause_ranks_top3_for_its_typical_findings(cause_id, table):
    assessment = assess(Findings(**table.causes[cause_id].typical_findings), table)
    assert cause_id in assessment.likely_causes[:3]
    assert len(assessment.likely_causes) <= MAX_CAUSES


@pytest.mark.parametrize("flag_id,clause", CLAUSES)
def test_each_red_flag_fires_its_level(flag_id, clause, table):
    flag = table.red_flags[flag_id]
    assessment = assess(findings_for(flag.when[clause].all_of), table)
    assert flag_id in [f.id for f in assessment.red_flags]
    assert assessment.level.urgency >= flag.level.urgency
    if flag.cause:
        assert assessment.likely_causes[0] in {f.cause for f in assessment.red_flags}


@pytest.mark.parametrize("flag_id,clause", CLAUSES)
def test_absent_findings_do_not_fire_the_red_flag(flag_id, clause, table):
    terms = table.red_flags[flag_id].when[clause].all_of
    findings_terms = [t for t in terms if t in FINDINGS]
    if not findings_terms:
        pytest.skip("clause made of descriptors only")
    absent = {t: False for t in findings_terms}
    fired = fired_red_flags(findings_for(terms, **absent), table)
    assert flag_id not in [f.id for f in fired]


@pytest.mark.parametrize("flag_id,clause", CLAUSES)
def test_unknown_never_lowers_urgency(flag_id, clause, table):
    terms = table.red_flags[flag_id].when[clause].all_of
    for term in [t for t in terms if t in FINDINGS]:
        others = [t for t in terms if t != term]
        unknown = assess(findings_for(others), table).level
        absent = assess(findings_for(others, **{term: False}), table).level
        assert unknown.urgency >= absent.urgency, term


@pytest.mark.parametrize("cause_id", sorted(TABLE.causes))
def test_unknown_answer_never_less_urgent_than_no(cause_id, table):
    typical = dict(table.causes[cause_id].typical_findings)
    flags = dict(typical.pop("flags", {}))
    for finding in FINDINGS:
        rest = {k: v for k, v in flags.items() if k != finding}
        unknown = assess(Findings(flags=rest, **typical), table).level
        absent = assess(Findings(flags={**rest, finding: False}, **typical), table).level
        assert unknown.urgency >= absent.urgency, finding


@pytest.mark.parametrize("flag_id,clause", CLAUSES)
def test_not_sure_about_a_red_flag_sign_is_at_least_urgent(flag_id, clause, table):
    flag = table.red_flags[flag_id]
    terms = flag.when[clause].all_of
    needed = [t for t in terms if t in FINDINGS]
    positives = [t for t in terms if not t.startswith("!")]
    if not needed or (len(positives) < 2 and not flag.unsure_alone):
        pytest.skip("a lone 'not sure' is not enough for this clause")
    others = [t for t in terms if t != needed[0]]
    unsure = replace(findings_for(others), unsure=frozenset({needed[0]}))
    floor = flag.unsure_level or TriageLevel.URGENT
    assert assess(unsure, table).level.urgency >= min(floor.urgency, flag.level.urgency)


def test_a_lone_not_sure_is_not_an_alarm(table):
    vague = Findings(unsure=frozenset({"breathing_or_swallowing_difficulty"}), location="both feet")
    assert assess(vague, table).level is TriageLevel.CONSULTATION
    unsure_saddle = Findings(unsure=frozenset({"saddle_numbness"}), location="both feet")
    assert assess(unsure_saddle, table).level is TriageLevel.URGENT


def test_self_care_only_when_positional_and_resolving(table):
    positional = Findings(**table.causes["positional_compression"].typical_findings)
    assert assess(positional, table).level is TriageLevel.SELF_CARE
    worse = Findings(**{**positional.__dict__, "progression": "worsening"})
    assert assess(worse, table).level is not TriageLevel.SELF_CARE
    unknown_cause = Findings(**{**positional.__dict__, "flags": {}})
    assert assess(unknown_cause, table).level is not TriageLevel.SELF_CARE
    diabetic = replace(positional, flags={**positional.flags, "diabetes": True})
    assert assess(diabetic, table).level is TriageLevel.CONSULTATION


def test_red_flag_beats_self_care(table):
    positional = Findings(**table.causes["positional_compression"].typical_findings)
    assert (
        assess(replace(positional, flags={**positional.flags, "saddle_numbness": True}), table).level
        is TriageLevel.EMERGENCY
    )


@pytest.mark.parametrize(
    "flags,asked",
    [
        ({}, True),  # both feet, two days: could be the start of a climb
        ({"position_related": True}, False),  # brought on by kneeling or sitting: not a climb
        ({"worse_walking_better_rest": True}, False),  # comes with walking, eases at rest: not a climb
        ({"position_related": True, "recent_infection": True}, True),  # after an infection: always
    ],
)
def test_the_climbing_question_is_asked_only_when_it_could_be_guillain_barre(table, flags, asked):
    findings = Findings(flags=flags, side="both", duration="2 days")
    assert ("ascending_spread" in next_questions(findings, table)) is asked


@pytest.mark.parametrize(
    "text,long_ago",
    [
        ("since about the summer", False),
        ("since xmas", False),
        ("since about last spring", True),
        ("ever since the fall", False),
        ("since last year", True),
    ],
)
def test_a_season_or_holiday_ago_reads_as_weeks_to_months(text, long_ago):
    features = derive_features(Findings(duration=text))
    assert features["duration_short"] is False
    assert features["duration_long"] is long_ago


def test_interview_screens_red_flags_first_and_skips_what_was_said(table):
    first = next_questions(Findings(), table)
    assert first[0] == "screen_emergency"
    told = Findings(flags={"back_pain": True}, location="left foot and shin", duration="3 weeks")
    upcoming = next_questions(told, table)
    assert "back_pain" not in upcoming and "duration" not in upcoming and "side" not in upcoming
    cleared = Findings(flags={f: False for f in table.questions["screen_emergency"].covers})
    after = next_questions(cleared, table, asked=["screen_emergency"])
    assert "screen_emergency" not in after
    assert not set(after) & set(table.questions["screen_emergency"].covers)


def test_yes_to_the_screen_asks_each_sign(table):
    after = next_questions(Findings(), table, asked=["screen_emergency"])
    covered = set(table.questions["screen_emergency"].covers)
    # Every sign, even those asked only of some people otherwise (a numbness level on the
    # trunk), comes straight after the screen.
    first_description = after.index("location")
    assert covered <= set(after[:first_description])


def test_without_a_yes_to_the_screen_a_conditional_sign_waits_for_its_reason(table):
    cleared = Findings(flags={f: False for f in table.questions["screen_emergency"].covers})
    unasked = {"trunk_numbness_level": None}
    findings = Findings(flags={k: v for k, v in cleared.flags.items() if k not in unasked})
    assert "trunk_numbness_level" not in next_questions(findings, table)


def test_not_sure_answers_are_not_asked_again(table):
    findings = Findings(unsure=frozenset({"back_pain"}))
    assert "back_pain" not in next_questions(findings, table)


def test_risk_questions_are_limited_and_change_the_ranking(table):
    findings = Findings(
        flags={f: False for f in table.questions["screen_emergency"].covers},
        location="both feet",
        onset="gradual",
        duration="4 months",
        progression="worsening",
    )
    upcoming = next_questions(findings, table, asked=["screen_emergency"])
    risk = [s for s in upcoming if table.questions[s].phase == "risk"]
    assert 0 < len(risk) <= 3
    assert "diabetes" in risk


def test_every_ranked_cause_explains_itself(table):
    findings = Findings(flags={"back_pain": True}, location="down the back of my left leg", onset="gradual")
    top = assess(findings, table).causes[0]
    assert top.supporting, "reasons are generated from the table"


def test_bad_descriptor_values_are_rejected():
    with pytest.raises(ValueError):
        Findings(side="middle")
    with pytest.raises(ValueError):
        Findings(flags={"not_a_finding": True})


def test_age_is_asked_only_when_it_could_change_the_ranking(table):
    # Sudden, one-sided and positional: age cannot reorder the leading causes.
    settled = Findings(
        flags={f: False for f in table.questions["screen_emergency"].covers} | {"position_related": True},
        location="left foot",
        onset="sudden",
        duration="an hour",
        progression="improving",
    )
    assert "age" not in next_questions(settled, table, asked=["screen_emergency", "pattern"])


def test_a_red_flag_raised_before_stays_raised(table):
    # Raynaud's and a cold pale leg together raise nothing on their own ...
    findings = Findings(
        flags={"cold_triggers_colour_change": True, "cold_pale_or_blue_leg": True}, side="right"
    )
    assert assess(findings, table).red_flags == ()
    # ... but a flag one message raised is not taken back by the rest of the conversation.
    kept = assess(findings, table, fired_before=["acute_limb_ischaemia", "no_such_flag"])
    assert [f.id for f in kept.red_flags] == ["acute_limb_ischaemia"]
    assert kept.level.value == "emergency_ambulance"
    assert kept.likely_causes[0] == "acute_limb_ischemia"


def test_a_red_flags_other_causes_come_right_after_its_own(table):
    # Both legs, back pain and weakness: cauda equina first, and a tumour or infection pressing
    # on the cord is listed ahead of the everyday back causes, whatever their scores.
    findings = Findings(flags={"back_pain": True, "leg_weakness": True}, side="both", location="both legs")
    result = assess(findings, table)
    assert result.level.value == "emergency"
    assert result.likely_causes[:2] == ["cauda_equina_syndrome", "spinal_cord_compression"]
