"""The cause/red-flag table in ``knowledge/``: completeness, clinical sanity, and clear errors.

The engine-wide properties (every clause fires its level, unknown never lowers urgency, ...)
are in ``test_engine.py``; this file checks the table's own content and the loader's messages.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import yaml

from tests.conftest import findings_for
from triage.contract import CAUSE_IDS, CONTRACT_FINDINGS, DESCRIPTORS, FINDINGS, TriageLevel
from triage.features import ALL_FEATURES, Findings
from triage.table import DEFAULT_TABLE_DIR, TableError, load_table

KNOWLEDGE = DEFAULT_TABLE_DIR
SEEDS = KNOWLEDGE.parent.parent / "shared" / "seeds"

# One flag (or more) per row of shared/spec/red-flags.md, plus off-topic emergencies.
RED_FLAG_IDS = {
    "stroke_tia",
    "cauda_equina",
    "acute_limb_ischaemia",
    "pulmonary_embolism",
    "deep_vein_thrombosis",
    "guillain_barre_severe",
    "guillain_barre_fast",
    "guillain_barre_early",
    "spinal_injury",
    "metastatic_spinal_cord_compression",
    "cancer_new_numbness",
    "spinal_infection",
    "worsening_weakness",
    "spinal_cord_level",
    "cold_leg_circulation",
    "chest_pain_or_breathing",
}

# red-flags.md row -> (flag id, level the spec asks for)
SPEC_ROWS = {
    "Stroke or TIA": ("stroke_tia", "emergency_ambulance"),
    "Cauda equina syndrome": ("cauda_equina", "emergency"),
    "Acute limb ischaemia": ("acute_limb_ischaemia", "emergency_ambulance"),
    "Pulmonary embolism": ("pulmonary_embolism", "emergency_ambulance"),
    "Deep vein thrombosis": ("deep_vein_thrombosis", "urgent"),
    "Guillain-Barré syndrome, severe": ("guillain_barre_severe", "emergency_ambulance"),
    "Guillain-Barré syndrome, early": ("guillain_barre_early", "urgent"),
    "Guillain-Barré syndrome, fast": ("guillain_barre_fast", "emergency"),
    "Spinal injury": ("spinal_injury", "emergency"),
    "Metastatic spinal cord compression": ("metastatic_spinal_cord_compression", "emergency"),
    "Spinal infection": ("spinal_infection", "emergency"),
    "Rapidly worsening weakness": ("worsening_weakness", "urgent"),
    "Numbness below a level": ("spinal_cord_level", "emergency"),
}

TEST_IDS = {"history_exam", "blood_tests", "mri_ct", "xray", "doppler_ultrasound", "nerve_conduction_emg"}
FAQ_IDS = {"recovery_time", "exercise", "reversibility", "supplements", "seriousness"}
DESCRIBE_SLOTS = {"location", "side", "onset", "duration", "progression", "pattern"}
SCREEN_COVERS = {
    "face_arm_speech_vision",
    "saddle_numbness",
    "bladder_bowel_problems",
    "cold_pale_or_blue_leg",
    "breathing_or_swallowing_difficulty",
    "after_trauma",
    "trunk_numbness_level",
}

# What a clinician would expect for each cause's typical presentation.
TYPICAL_LEVEL = {
    "positional_compression": "self_care",
    "herniated_disc": "consultation",
    "sciatica": "consultation",
    "spinal_stenosis": "consultation",
    "cauda_equina_syndrome": "emergency",
    "spinal_cord_compression": "emergency",
    "spinal_injury": "emergency",
    "peripheral_artery_disease": "consultation",
    "acute_limb_ischemia": "emergency_ambulance",
    "deep_vein_thrombosis": "urgent",
    "raynauds": "consultation",
    "diabetic_neuropathy": "consultation",
    "b12_deficiency": "consultation",
    "other_vitamin_imbalance": "consultation",
    "alcoholic_neuropathy": "consultation",
    "multiple_sclerosis": "consultation",
    "guillain_barre_syndrome": "emergency",
    "autoimmune_neuropathy": "consultation",
    "stroke_tia": "emergency_ambulance",
    "infectious_neuropathy": "consultation",
    "tarsal_tunnel_syndrome": "consultation",
}


def _raw(name: str) -> Any:
    with (KNOWLEDGE / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _strings(node: Any, skip_keys=("source",)) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip_keys:
                yield from _strings(value, skip_keys)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, skip_keys)


# --- the real table ----------------------------------------------------------------------


def test_real_table_loads_with_every_cause(table):
    assert set(table.causes) == set(CAUSE_IDS)
    assert len(table.causes) == 21


def test_red_flag_ids(table):
    assert set(table.red_flags) == RED_FLAG_IDS


@pytest.mark.parametrize("row", sorted(SPEC_ROWS))
def test_every_red_flag_of_the_spec_has_its_level(row, table):
    flag_id, level = SPEC_ROWS[row]
    assert table.red_flags[flag_id].level is TriageLevel(level), row


def test_off_topic_emergencies_call_an_ambulance(table):
    flag = table.red_flags["chest_pain_or_breathing"]
    assert flag.level is TriageLevel.EMERGENCY_AMBULANCE
    assert {tuple(c.all_of) for c in flag.when} == {("chest_pain",), ("breathing_or_swallowing_difficulty",)}


@pytest.mark.parametrize("flag_id", sorted(RED_FLAG_IDS))
def test_red_flag_advice_says_where_to_go_and_how_fast(flag_id, table):
    flag = table.red_flags[flag_id]
    advice = flag.advice
    if flag.level is TriageLevel.EMERGENCY_AMBULANCE:
        assert all(n in advice for n in ("911", "999", "112")), flag_id
    elif flag.level is TriageLevel.EMERGENCY:
        assert "emergency department now" in advice, flag_id
    elif flag.level is TriageLevel.URGENT:
        assert "today" in advice and "24 hours" in advice, flag_id
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", advice.strip()) if s]
    assert 2 <= len(sentences) <= 5, flag_id
    # unsure answers never make a flag calmer than urgent
    assert flag.unsure_level is None or flag.unsure_level.urgency >= TriageLevel.URGENT.urgency


def test_tests_faq_treatments_prevention_ids(table):
    assert set(table.tests) == TEST_IDS
    assert set(table.faq) == FAQ_IDS
    assert {
        "physical_therapy",
        "medications",
        "vitamin_supplements",
        "surgery",
        "lifestyle",
        "alternative_therapies",
        "blood_thinners",
        "immune_therapy",
    } <= set(table.treatments)
    assert {
        "healthy_diet",
        "regular_exercise",
        "weight_management",
        "quit_smoking",
        "manage_conditions",
        "movement_breaks",
        "limit_alcohol",
        "health_screening",
    } <= set(table.prevention)


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_cause_row_is_complete(cause_id, table):
    cause = table.causes[cause_id]
    assert set(cause.tests) <= set(table.tests)
    assert re.search(r"seed 00[01]|red-flags\.md", cause.source), cause.source
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", cause.explanation.strip()) if s]
    assert 2 <= len(sentences) <= 5, cause_id
    typical = dict(cause.typical_findings)
    assert set(typical) <= {"flags"} | set(DESCRIPTORS)
    Findings(**typical)  # valid finding names and descriptor values
    for name in cause.excluded_if_absent:
        assert cause.supports.get(name, 0) >= 3, f"{cause_id}: excluded_if_absent should be a key support"


def test_excluded_if_absent_is_used_sparingly(table):
    excluded = {c.id: set(c.excluded_if_absent) for c in table.causes.values() if c.excluded_if_absent}
    assert excluded == {
        "diabetic_neuropathy": {"diabetes"},
        "alcoholic_neuropathy": {"heavy_alcohol"},
        "spinal_injury": {"after_trauma"},
    }


def test_features_wording_covers_exactly_every_feature(table):
    assert set(table.features) == set(ALL_FEATURES)
    for name, wording in table.features.items():
        assert wording.present and wording.absent and wording.present != wording.absent, name


def test_questions(table):
    questions = table.questions
    assert set(FINDINGS) <= set(questions)
    assert set(questions) >= DESCRIBE_SLOTS | {"age"}
    # Age is asked only when it could change the ranking.
    assert (questions["age"].phase, questions["age"].kind) == ("risk", "text")
    screen = questions["screen_emergency"]
    assert (screen.kind, screen.phase) == ("yes_no", "screen")
    assert set(screen.covers) == SCREEN_COVERS
    assert screen.text.count("\n- ") == len(SCREEN_COVERS)
    for slot, question in questions.items():
        if question.kind == "yes_no":
            assert not re.search(r"\b(yes|no|not sure)\s*/", question.text, re.I), slot
        if slot in DESCRIBE_SLOTS:
            assert question.phase == "describe" and question.kind in ("text", "choice"), slot
    for slot in (
        "diabetes",
        "heavy_alcohol",
        "vegan_or_b12_risk",
        "smoker",
        "recent_infection",
        "autoimmune_disease",
        "rash",
        "position_related",
        "worse_walking_better_rest",
        "cold_triggers_colour_change",
        "vision_or_balance_episodes",
    ):
        assert questions[slot].phase == "risk", slot
    for slot in SCREEN_COVERS | {
        "leg_weakness",
        "back_pain",
        "leg_swelling_warmth",
        "ascending_spread",
        "fever",
        "cancer_history",
        "severe_leg_pain",
        "trunk_numbness_level",
        "chest_pain",
    }:
        assert questions[slot].phase == "red_flag", slot
    assert set(CONTRACT_FINDINGS) <= set(questions)


def test_self_care_rule(table):
    rule = table.self_care
    assert list(rule.requires_all) == ["position_related"]
    consult = {c.all_of[0] for c in rule.consult_if}
    assert {
        "duration_weeks",
        "duration_long",
        "progression_worsening",
        "leg_weakness",
        "diabetes",
        "autoimmune_disease",
        "rash",
        "worse_walking_better_rest",
        "heavy_alcohol",
    } <= consult


def test_no_doses_anywhere():
    dose = re.compile(r"\d\s*(mg|mcg|µg|micrograms?|milligrams?|iu|units?|ml)\b", re.I)
    for path in sorted(KNOWLEDGE.glob("*.yml")):
        for text in _strings(_raw(path.name)):
            assert not dose.search(text), f"{path.name}: {text}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not available")
def test_wording_is_our_own_not_copied_from_the_seeds():
    def words(s: str) -> List[str]:
        return re.findall(r"[a-z0-9]+", s.lower())

    n = 8
    seed_words: List[str] = []
    for path in SEEDS.glob("*.txt"):
        seed_words += words(path.read_text(encoding="utf-8"))
    grams = {tuple(seed_words[i : i + n]) for i in range(len(seed_words) - n + 1)}
    for path in sorted(KNOWLEDGE.glob("*.yml")):
        for text in _strings(_raw(path.name)):
            w = words(text)
            copied = [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams]
            assert not copied, f"{path.name}: copied from a seed: {copied[0]!r}"


# --- clinical behaviour of the table (through the engine) --------------------------------

engine = pytest.importorskip("triage.engine")


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_typical_findings_rank_top3_with_a_fitting_level(cause_id, table):
    assessment = engine.assess(Findings(**table.causes[cause_id].typical_findings), table)
    assert cause_id in assessment.likely_causes[:3], assessment.likely_causes
    assert assessment.level.value == TYPICAL_LEVEL[cause_id]


def test_most_typical_presentations_rank_their_cause_first(table):
    first = [
        c
        for c in CAUSE_IDS
        if engine.assess(Findings(**table.causes[c].typical_findings), table).likely_causes[0] == c
    ]
    # other_vitamin_imbalance shares B12's picture and comes second to it
    assert set(CAUSE_IDS) - set(first) <= {"other_vitamin_imbalance"}


# Cancer with numbness and no other sign of pressure on the cord.
_CANCER_ONLY = {
    "cancer_history": True,
    "back_pain": False,
    "leg_weakness": False,
    "bladder_bowel_problems": False,
}

SCENARIOS = [
    # (description, findings, expected level, flag that must fire or None)
    (
        "one-sided face or arm signs",
        dict(flags={"face_arm_speech_vision": True}),
        "emergency_ambulance",
        "stroke_tia",
    ),
    ("arm and leg on one side", dict(location="my left arm and leg"), "emergency_ambulance", "stroke_tia"),
    (
        "sudden one-sided leg weakness",
        dict(flags={"leg_weakness": True}, onset="sudden", side="left"),
        "emergency_ambulance",
        "stroke_tia",
    ),
    (
        "sudden weak leg after crossing legs: urgent, not stroke",
        dict(flags={"leg_weakness": True, "position_related": True}, onset="sudden", side="right"),
        "urgent",
        "worsening_weakness",
    ),
    ("saddle numbness", dict(flags={"saddle_numbness": True}), "emergency", "cauda_equina"),
    (
        "both legs, back pain, sudden",
        dict(flags={"back_pain": True}, side="both", onset="sudden"),
        "emergency",
        "cauda_equina",
    ),
    (
        "years of slowly worsening stenosis is not cauda equina",
        dict(
            flags={
                "back_pain": True,
                "worse_walking_better_rest": True,
                "leg_weakness": False,
                "saddle_numbness": False,
                "bladder_bowel_problems": False,
            },
            side="both",
            onset="gradual",
            duration="3 years",
            progression="worsening",
            age=72,
        ),
        "consultation",
        None,
    ),
    (
        "sudden cold white leg",
        dict(flags={"cold_pale_or_blue_leg": True}, onset="sudden", side="right"),
        "emergency_ambulance",
        "acute_limb_ischaemia",
    ),
    (
        "cold leg, onset unknown",
        dict(flags={"cold_pale_or_blue_leg": True}),
        "emergency_ambulance",
        "acute_limb_ischaemia",
    ),
    (
        "slowly cold pale foot: urgent",
        dict(flags={"cold_pale_or_blue_leg": True}, onset="gradual"),
        "urgent",
        "cold_leg_circulation",
    ),
    (
        "toes white then blue in the cold (Raynaud's)",
        dict(
            flags={"cold_triggers_colour_change": True},
            location="my toes",
            side="both",
            progression="comes_and_goes",
        ),
        "consultation",
        None,
    ),
    (
        "swollen calf and breathless",
        dict(flags={"leg_swelling_warmth": True, "breathing_or_swallowing_difficulty": True}),
        "emergency_ambulance",
        "pulmonary_embolism",
    ),
    (
        "swollen calf and chest pain",
        dict(flags={"leg_swelling_warmth": True, "chest_pain": True}),
        "emergency_ambulance",
        "pulmonary_embolism",
    ),
    (
        "swollen warm calf",
        dict(flags={"leg_swelling_warmth": True}, side="left"),
        "urgent",
        "deep_vein_thrombosis",
    ),
    (
        "ascending with breathing trouble",
        dict(flags={"ascending_spread": True, "breathing_or_swallowing_difficulty": True}),
        "emergency_ambulance",
        "guillain_barre_severe",
    ),
    (
        "ascending with weak legs",
        dict(flags={"ascending_spread": True, "leg_weakness": True}, duration="3 days"),
        "emergency",
        "guillain_barre_fast",
    ),
    (
        "ascending over days",
        dict(flags={"ascending_spread": True, "leg_weakness": False}, duration="5 days", onset="gradual"),
        "urgent",
        "guillain_barre_early",
    ),
    (
        "creeping up over a year is not Guillain-Barré",
        dict(
            flags={"ascending_spread": True, "leg_weakness": False, "diabetes": True},
            location="both feet",
            duration="a year",
            onset="gradual",
            progression="worsening",
        ),
        "consultation",
        None,
    ),
    ("after a fall", dict(flags={"after_trauma": True}), "emergency", "spinal_injury"),
    (
        "cancer and back pain",
        dict(flags={"cancer_history": True, "back_pain": True}),
        "emergency",
        "metastatic_spinal_cord_compression",
    ),
    # red-flags.md: known cancer with new leg numbness is an emergency; long-standing is urgent.
    (
        "cancer and new numbness",
        dict(
            flags=_CANCER_ONLY,
            duration="2 weeks",
        ),
        "emergency",
        "metastatic_spinal_cord_compression",
    ),
    (
        "cancer and numbness of unknown duration",
        dict(flags={"cancer_history": True, "back_pain": False}),
        "emergency",
        "metastatic_spinal_cord_compression",
    ),
    (
        "cancer and numbness for years",
        dict(
            flags=_CANCER_ONLY,
            duration="4 years",
            progression="stable",
        ),
        "urgent",
        "cancer_new_numbness",
    ),
    ("fever and back pain", dict(flags={"fever": True, "back_pain": True}), "emergency", "spinal_infection"),
    (
        "worsening weakness",
        dict(flags={"leg_weakness": True}, progression="worsening", side="left", onset="gradual"),
        "urgent",
        "worsening_weakness",
    ),
    ("numb up to the belly", dict(flags={"trunk_numbness_level": True}), "emergency", "spinal_cord_level"),
    ("chest pain alone", dict(flags={"chest_pain": True}), "emergency_ambulance", "chest_pain_or_breathing"),
    (
        "breathing trouble alone",
        dict(flags={"breathing_or_swallowing_difficulty": True}),
        "emergency_ambulance",
        "chest_pain_or_breathing",
    ),
    (
        "crossed legs, wearing off",
        dict(
            flags={"position_related": True},
            side="left",
            onset="sudden",
            duration="10 minutes",
            progression="improving",
        ),
        "self_care",
        None,
    ),
    (
        "kneeling, both feet, wearing off",
        dict(
            flags={"position_related": True},
            location="both feet",
            duration="5 minutes",
            progression="improving",
        ),
        "self_care",
        None,
    ),
    (
        "positional but lasting weeks",
        dict(flags={"position_related": True}, duration="3 weeks", progression="comes_and_goes"),
        "consultation",
        None,
    ),
    (
        "positional in a diabetic",
        dict(flags={"position_related": True, "diabetes": True}, duration="an hour", progression="improving"),
        "consultation",
        None,
    ),
]


@pytest.mark.parametrize("name,facts,level,flag", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_clinical_scenarios(name, facts, level, flag, table):
    assessment = engine.assess(Findings(**facts), table)
    assert assessment.level.value == level, name
    if flag:
        assert flag in [f.id for f in assessment.red_flags], name


def test_not_sure_about_saddle_numbness_is_urgent(table):
    findings = Findings(
        flags={"back_pain": True},
        unsure=frozenset({"saddle_numbness"}),
        location="down the back of my left leg",
        side="left",
        onset="gradual",
        duration="a week",
    )
    assert engine.assess(findings, table).level is TriageLevel.URGENT


@pytest.mark.parametrize(
    "facts,expected",
    [
        (
            dict(flags={"diabetes": True}, location="both feet", onset="gradual", duration="a year"),
            "diabetic_neuropathy",
        ),
        (
            dict(flags={"vegan_or_b12_risk": True, "diabetes": False}, location="both feet", onset="gradual"),
            "b12_deficiency",
        ),
        (
            dict(flags={"heavy_alcohol": True, "diabetes": False}, location="both feet", onset="gradual"),
            "alcoholic_neuropathy",
        ),
        (
            dict(flags={"autoimmune_disease": True, "diabetes": False}, location="both feet"),
            "autoimmune_neuropathy",
        ),
        (
            dict(flags={"back_pain": True}, location="from my lower back down the back of my left leg"),
            "sciatica",
        ),
        (
            dict(flags={"back_pain": True, "leg_weakness": True}, location="from my back down my left shin"),
            "herniated_disc",
        ),
        (
            dict(
                flags={"worse_walking_better_rest": True, "smoker": True, "back_pain": False},
                side="left",
                age=70,
            ),
            "peripheral_artery_disease",
        ),
        (
            dict(flags={"worse_walking_better_rest": True, "back_pain": True}, side="both", age=75),
            "spinal_stenosis",
        ),
        (
            dict(
                flags={"worse_walking_better_rest": True, "diabetes": True},
                location="both calves and feet",
                age=71,
                onset="gradual",
            ),
            "peripheral_artery_disease",
        ),
        (
            dict(
                flags={"position_related": True},
                location="my toes on both feet",
                progression="comes_and_goes",
                duration="a month",
            ),
            "positional_compression",
        ),
        (
            dict(flags={"vision_or_balance_episodes": True}, location="patches on my thighs", age=30),
            "multiple_sclerosis",
        ),
        (
            dict(flags={"rash": True, "recent_infection": True}, location="a patch on my left thigh", age=68),
            "infectious_neuropathy",
        ),
        (dict(location="the sole of my right foot"), "tarsal_tunnel_syndrome"),
        # Colour changes in the cold lead, in both feet, over years.
        (
            dict(
                flags={"cold_triggers_colour_change": True, "leg_weakness": False, "back_pain": False},
                location="my toes",
                side="both",
                onset="gradual",
                duration="a few years",
            ),
            "raynauds",
        ),
        # A known nerve-damaging infection (treated Lyme, HIV) with no rash now still leads.
        (
            dict(
                flags={"known_infection": True, "rash": False, "back_pain": False},
                location="both feet and shins",
                onset="gradual",
                duration="3 weeks",
            ),
            "infectious_neuropathy",
        ),
    ],
)
def test_a_clinicians_leading_cause(facts, expected, table):
    assert engine.assess(Findings(**facts), table).likely_causes[0] == expected


def test_every_red_flag_clause_fires(table):
    for flag in table.red_flags.values():
        for clause in flag.when:
            fired = [f.id for f in engine.assess(findings_for(clause.all_of), table).red_flags]
            assert flag.id in fired, (flag.id, clause.all_of)


# --- clear messages for a broken table ---------------------------------------------------


@pytest.fixture()
def broken(tmp_path: Path) -> Callable[..., Path]:
    """A copy of knowledge/ with one file changed in place by ``edit(data)``."""

    def make(filename: str, edit: Callable[[Any], Any]) -> Path:
        target = tmp_path / "knowledge"
        shutil.copytree(KNOWLEDGE, target)
        path = target / filename
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return target

    return make


def _entry(data: List[Dict[str, Any]], entry_id: str) -> Dict[str, Any]:
    return next(e for e in data if e["id"] == entry_id)


def _expect(directory: Path, *parts: str) -> str:
    with pytest.raises(TableError) as exc:
        load_table(directory)
    message = str(exc.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return message


def test_unknown_cause_id(broken):
    directory = broken("causes.yml", lambda d: _entry(d, "sciatica").update(id="sciatika"))
    _expect(directory, "causes.yml", "'sciatika'", "'id'")


def test_unknown_cause_of_a_red_flag(broken):
    directory = broken("red_flags.yml", lambda d: _entry(d, "stroke_tia").update(cause="brain_attack"))
    _expect(directory, "red_flags.yml", "'stroke_tia'", "'cause'", "brain_attack")


def test_unknown_other_cause_of_a_red_flag(broken):
    directory = broken(
        "red_flags.yml", lambda d: _entry(d, "cauda_equina").update(also_causes=["spine_thing"])
    )
    _expect(directory, "red_flags.yml", "'cauda_equina'", "'also_causes.0'", "spine_thing")


def test_missing_required_field(broken):
    directory = broken("causes.yml", lambda d: _entry(d, "herniated_disc").pop("explanation"))
    _expect(directory, "causes.yml", "'herniated_disc'", "'explanation'")


def test_bad_level(broken):
    directory = broken("red_flags.yml", lambda d: _entry(d, "cauda_equina").update(level="very_urgent"))
    _expect(directory, "red_flags.yml", "'cauda_equina'", "'level'")


def test_unknown_feature_in_supports(broken):
    directory = broken("causes.yml", lambda d: _entry(d, "raynauds")["supports"].update(cold_feet=2))
    _expect(directory, "causes.yml", "'raynauds'", "'supports'", "cold_feet")


def test_unknown_feature_in_a_red_flag_clause(broken):
    def edit(d):
        _entry(d, "spinal_injury")["when"][0]["all_of"].append("fell_over")

    _expect(broken("red_flags.yml", edit), "red_flags.yml", "'spinal_injury'", "when", "fell_over")


def test_unknown_test_of_a_cause(broken):
    directory = broken("causes.yml", lambda d: _entry(d, "stroke_tia").update(tests=["mri_ct", "pet_scan"]))
    _expect(directory, "causes.yml", "'stroke_tia'", "'tests'", "pet_scan")


def test_duplicate_id(broken):
    directory = broken("tests.yml", lambda d: d.append(dict(_entry(d, "xray"))))
    _expect(directory, "tests.yml", "'xray'", "'id'", "duplicate")


def test_missing_cause(broken):
    directory = broken("causes.yml", lambda d: d.remove(_entry(d, "raynauds")))
    _expect(directory, "causes.yml", "raynauds")


def test_missing_feature_wording(broken):
    directory = broken("features.yml", lambda d: d.pop("pattern_tarsal"))
    _expect(directory, "features.yml", "'pattern_tarsal'")


def test_missing_question_for_a_contract_finding(broken):
    directory = broken("questions.yml", lambda d: d.pop("smoker"))
    _expect(directory, "questions.yml", "'smoker'")


def test_bad_question_kind(broken):
    directory = broken("questions.yml", lambda d: d["age"].update(kind="number"))
    _expect(directory, "questions.yml", "'age'", "'kind'")


def test_unknown_finding_in_self_care(broken):
    directory = broken("self_care.yml", lambda d: d.update(requires_all=["crossed_legs"]))
    _expect(directory, "self_care.yml", "'self_care'", "requires_all", "crossed_legs")


def test_invalid_yaml(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    (target / "faq.yml").write_text("- id: exercise\n  question: [unclosed\n", encoding="utf-8")
    _expect(target, "faq.yml", "not valid YAML")


@pytest.mark.parametrize("filename", sorted(p.name for p in KNOWLEDGE.glob("*.yml")))
def test_missing_file(filename, tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    (target / filename).unlink()
    _expect(target, filename, "missing")


@pytest.mark.parametrize(
    "filename,edit,parts",
    [
        ("causes.yml", lambda d: _entry(d, "sciatica").update(supports={}), ("'sciatica'", "'supports'")),
        (
            "causes.yml",
            lambda d: _entry(d, "sciatica")["supports"].update({"!back_pain": 1}),
            ("'sciatica'", "'supports'", "!back_pain"),
        ),
        (
            "causes.yml",
            lambda d: _entry(d, "sciatica")["supports"].update(back_pain=0),
            ("'sciatica'", "'supports'", "positive"),
        ),
        (
            "causes.yml",
            lambda d: _entry(d, "diabetic_neuropathy").update(excluded_if_absent=["sugar"]),
            ("'diabetic_neuropathy'", "excluded_if_absent", "sugar"),
        ),
        (
            "red_flags.yml",
            lambda d: _entry(d, "stroke_tia").update(advice="Call."),
            ("'stroke_tia'", "'advice'"),
        ),
        ("red_flags.yml", lambda d: d.append("just a string"), ("#17", "expected a mapping")),
        (
            "questions.yml",
            lambda d: d["screen_emergency"]["covers"].append("dizziness"),
            ("'screen_emergency'", "'covers'", "dizziness"),
        ),
        ("levels.yml", lambda d: d.pop("urgent"), ("urgent",)),
    ],
    ids=[
        "empty_supports",
        "negated_weight",
        "zero_weight",
        "unknown_exclusion",
        "short_advice",
        "entry_not_mapping",
        "unknown_covered_finding",
        "missing_level",
    ],
)
def test_more_schema_violations(filename, edit, parts, broken):
    _expect(broken(filename, edit), filename, *parts)


@pytest.mark.parametrize("filename,content", [("tests.yml", "{}\n"), ("features.yml", "[]\n")])
def test_wrong_top_level_shape(filename, content, tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    (target / filename).write_text(content, encoding="utf-8")
    _expect(target, filename, "expected a non-empty")


def test_a_two_part_question_must_name_a_choice_question_and_have_a_short_wording(tmp_path):
    for broken, field in (({"also_asks": ["location"]}, "also_asks"), ({"short_text": ""}, "short_text")):
        directory = tmp_path / field
        shutil.copytree("knowledge", directory)
        path = directory / "questions.yml"
        questions = yaml.safe_load(path.read_text())
        questions["duration"].update(broken)
        path.write_text(yaml.safe_dump(questions))
        with pytest.raises(TableError, match=rf"questions.yml.*duration.*{field}"):
            load_table(directory)
