"""clinical_nlp: the lexicon, synonyms, typos, negation, family history, worry, quantities."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import yaml

from clinical_nlp import ClinicalNLP, LexiconError, Mention, get_nlp, load_lexicon
from clinical_nlp.lexicon import DEFAULT_LEXICON_DIR
from clinical_nlp.spelling import SpellingCorrector, edit_distance
from clinical_nlp.templates import TemplateError, expand
from triage.contract import FINDINGS
from triage.duration import parse_duration_days

LEXICON = load_lexicon()


@pytest.fixture(scope="module")
def nlp() -> ClinicalNLP:
    return get_nlp()


def mentions(nlp: ClinicalNLP, text: str, label: Optional[str] = None) -> List[Mention]:
    return [m for m in nlp.extract(text) if label is None or m.label == label]


def said(nlp: ClinicalNLP, text: str) -> Dict[str, bool]:
    """Findings the message states about the person: finding -> True/False."""
    return {
        m.label: bool(m.value) for m in nlp.extract(text) if m.category == "finding" and m.about_the_person
    }


def value(nlp: ClinicalNLP, text: str, label: str) -> object:
    found = [m for m in mentions(nlp, text, label) if m.assertion == "present"]
    return found[0].value if found else None


# ------------------------------------------------------------------ lexicon


def test_every_finding_has_a_lexicon_file() -> None:
    files = {p.stem for p in (DEFAULT_LEXICON_DIR / "findings").glob("*.yml")}
    assert files == set(FINDINGS)


@pytest.mark.parametrize("finding", FINDINGS)
def test_first_term_of_each_finding_file_is_that_finding_present(nlp, finding):
    term = LEXICON.first_terms()[finding]
    found = [m for m in mentions(nlp, term, finding)]
    assert found, f"{term!r} is not read as {finding}"
    assert found[0].assertion == "present" and found[0].value is True


def _copy_lexicon(tmp_path: Path) -> Path:
    root = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, root)
    return root


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_unknown_finding_file_fails_naming_it(tmp_path):
    root = _copy_lexicon(tmp_path)
    shutil.copy(root / "findings" / "fever.yml", root / "findings" / "feverish.yml")
    with pytest.raises(LexiconError, match=r"findings/feverish\.yml.*unknown finding 'feverish'"):
        load_lexicon(root)


def test_unknown_descriptor_value_fails_naming_file_and_entry(tmp_path):
    root = _copy_lexicon(tmp_path)
    _edit(root / "descriptors" / "side.yml", lambda d: d["values"].update({"middle": {"terms": ["middle"]}}))
    with pytest.raises(
        LexiconError, match=r"descriptors/side\.yml: entry 'values\.middle': unknown side value"
    ):
        load_lexicon(root)


def test_unknown_cause_id_fails(tmp_path):
    root = _copy_lexicon(tmp_path)
    _edit(root / "topics" / "causes.yml", lambda d: d["values"].update({"gout": {"terms": ["gout"]}}))
    with pytest.raises(LexiconError, match=r"topics/causes\.yml: entry 'values\.gout': unknown cause value"):
        load_lexicon(root)


def test_unknown_key_and_bad_template_fail(tmp_path):
    root = _copy_lexicon(tmp_path)
    _edit(root / "findings" / "rash.yml", lambda d: d.update({"synonyms": ["spots"]}))
    with pytest.raises(LexiconError, match=r"findings/rash\.yml: entry 'synonyms'"):
        load_lexicon(root)
    _edit(root / "findings" / "rash.yml", lambda d: (d.pop("synonyms"), d["terms"].append("(red|itchy rash")))
    with pytest.raises(LexiconError, match=r"findings/rash\.yml: entry 'terms\[\d+\]'"):
        load_lexicon(root)


def test_one_phrase_under_two_values_fails(tmp_path):
    root = _copy_lexicon(tmp_path)
    _edit(root / "descriptors" / "side.yml", lambda d: d["values"]["right"]["terms"].append("left side"))
    with pytest.raises(LexiconError, match=r"'left side' is already 'term' of 'left'"):
        load_lexicon(root)


def test_template_expansion() -> None:
    sets = {"part": ("foot", "leg")}
    assert expand("(numb|dead) [left] {part}", sets) == [
        "numb foot",
        "numb leg",
        "numb left foot",
        "numb left leg",
        "dead foot",
        "dead leg",
        "dead left foot",
        "dead left leg",
    ]
    for bad in ("(a|b", "((a))", "(a)? b", "{nope}"):
        with pytest.raises(TemplateError):
            expand(bad, sets)


# ------------------------------------------------------------------ spelling


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("numbenss", "numbness") == 1
    assert edit_distance("tingleing", "tingling") == 1
    assert edit_distance("abc", "abc") == 0


def test_spelling_fixes_near_misses_only() -> None:
    fixer = SpellingCorrector(["numbness", "tingling", "sciatica", "swollen"], known=["there", "feeling"])
    assert fixer.correct("numbnes") == "numbness"
    assert fixer.correct("tingleing") == "tingling"
    assert fixer.correct("scaitica") == "sciatica"  # 8 letters: two edits allowed
    assert fixer.correct("swolen") == "swollen"
    assert fixer.correct("feeling") is None  # a real word is never changed
    assert fixer.correct("numb") is None  # too short to guess
    assert fixer.correct("banana") is None


@pytest.mark.parametrize(
    "text,label,expected",
    [
        ("tingleing in my feet", "symptom", "tingling"),
        ("numbnes", "symptom", "numbness"),
        ("bad numbness in my left foott", "location", "left foott"),
        ("is it sciatca", "cause", "sciatica"),
        ("I think I have diabeties", "diabetes", True),
        ("my ankel is swolen", "leg_swelling_warmth", True),
    ],
)
def test_misspellings(nlp, text, label, expected):
    found = [m for m in mentions(nlp, text, label) if m.assertion in ("present", "hypothetical")]
    assert found and found[0].value == expected


# ------------------------------------------------------------------ findings and context


@pytest.mark.parametrize(
    "text,expected",
    [
        ("no back pain", {"back_pain": False}),
        ("I don't have any bladder problems", {"bladder_bowel_problems": False}),
        ("I haven't got a fever", {"fever": False}),
        ("no fever, but I've got a rash", {"fever": False, "rash": True}),
        ("no fever, I have a rash", {"fever": False, "rash": True}),
        ("No, I have back pain", {"back_pain": True}),
        ("never smoked", {"smoker": False}),
        ("I'm a non-smoker", {"smoker": False}),
        ("my bladder and bowels are fine", {"bladder_bowel_problems": False}),
        ("my back doesn't hurt", {"back_pain": False}),
        ("no fever, rash or back pain", {"fever": False, "rash": False, "back_pain": False}),
    ],
)
def test_negation(nlp, text, expected):
    assert said(nlp, text) == expected


@pytest.mark.parametrize(
    "text,finding",
    [
        ("I can't feel my bum", "saddle_numbness"),
        ("no feeling down there", "saddle_numbness"),
        ("numb between my legs", "saddle_numbness"),
        ("I can't feel the toilet paper when I wipe", "saddle_numbness"),
        ("I can't pee", "bladder_bowel_problems"),
        ("I cant tell when I need to wee", "bladder_bowel_problems"),
        ("I've lost control of my bladder", "bladder_bowel_problems"),
        ("I wet myself", "bladder_bowel_problems"),
        ("I pooed myself", "bladder_bowel_problems"),
        ("my face is drooping", "face_arm_speech_vision"),
        ("my words came out wrong", "face_arm_speech_vision"),
        ("my arm went weak", "face_arm_speech_vision"),
        ("I lost vision in one eye", "face_arm_speech_vision"),
        ("my foot is cold and white", "cold_pale_or_blue_leg"),
        ("my leg turned blue", "cold_pale_or_blue_leg"),
        ("after I fell", "after_trauma"),
        ("since the car accident", "after_trauma"),
        ("I hurt my back lifting", "after_trauma"),
        ("I drink a lot", "heavy_alcohol"),
        ("a bottle of wine a night", "heavy_alcohol"),
        ("my legs keep giving way", "leg_weakness"),
        ("it's spreading up my legs", "ascending_spread"),
        ("worse when I walk, better when I sit down", "worse_walking_better_rest"),
        ("my toes go white in the cold", "cold_triggers_colour_change"),
        ("numb from the waist down", "trunk_numbness_level"),
        ("I can't breathe properly", "breathing_or_swallowing_difficulty"),
    ],
)
def test_lay_phrases_including_their_own_negative_words(nlp, text, finding):
    assert said(nlp, text).get(finding) is True


@pytest.mark.parametrize(
    "text,label",
    [
        ("my dad had a stroke", "cause"),
        ("my mum has diabetes", "diabetes"),
        ("diabetes runs in the family", "diabetes"),
        ("family history of cancer", "cancer_history"),
    ],
)
def test_family_history_is_not_the_person(nlp, text, label):
    found = mentions(nlp, text, label)
    assert found and all(m.assertion == "family" for m in found)
    assert not said(nlp, text)


def test_someone_elses_emergency_now_still_counts(nlp):
    # A relative's stroke happening now is reported for them: it must not be filed as history.
    assert said(nlp, "my husband's face is drooping")["face_arm_speech_vision"] is True
    assert said(nlp, "my wife noticed my face drooping")["face_arm_speech_vision"] is True


@pytest.mark.parametrize(
    "text,label,value",
    [
        ("I'm scared it might be MS", "cause", "multiple_sclerosis"),
        ("could it be sciatica?", "cause", "sciatica"),
        ("what if I lose control of my bladder", "bladder_bowel_problems", True),
        ("I'm worried it's a blood clot", "cause", "deep_vein_thrombosis"),
        ("can diabetes make your feet numb", "diabetes", True),
    ],
)
def test_worries_and_questions_are_hypothetical(nlp, text, label, value):
    found = mentions(nlp, text, label)
    assert found and found[0].assertion == "hypothetical" and found[0].value == value
    assert label not in said(nlp, text)


def test_not_sure_is_uncertain(nlp):
    found = mentions(nlp, "not sure if I have diabetes", "diabetes")
    assert found[0].assertion == "uncertain"


@pytest.mark.parametrize(
    "text,label,expected",
    [
        ("pins and needles in both feet", "symptom", "tingling"),
        ("pins-and-needles", "symptom", "tingling"),
        ("I've got a dead leg", "symptom", "numbness"),
        ("burning feet at night", "symptom", "burning"),
        ("I had a slipped disc", "cause", "herniated_disc"),
        ("is it Guillain-Barre?", "cause", "guillain_barre_syndrome"),
        ("could it be a mini stroke", "cause", "stroke_tia"),
        ("do I need an MRI", "diagnostic_test", "mri_ct"),
        ("what is a nerve conduction study", "diagnostic_test", "nerve_conduction_emg"),
        ("will they do a doppler", "diagnostic_test", "doppler_ultrasound"),
    ],
)
def test_synonyms_and_topics(nlp, text, label, expected):
    assert [m.value for m in mentions(nlp, text, label)][:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "I fell asleep on the sofa",
        "my leg fell asleep",
        "I slipped a disc years ago",
        "I'm getting cold feet about the appointment",
    ],
)
def test_look_alikes_are_not_findings(nlp, text):
    assert not {k for k, v in said(nlp, text).items() if v and k in ("after_trauma", "cold_pale_or_blue_leg")}


# ------------------------------------------------------------------ descriptors


@pytest.mark.parametrize(
    "text,expected",
    [
        ("numb for 3 weeks", "3 weeks"),
        ("tingling since yesterday", "since yesterday"),
        ("it's been a couple of months", "a couple of months"),
        ("I've had it for years", "years"),
        ("2 days", "2 days"),
        ("about 2-3 weeks now", "about 2-3 weeks"),
    ],
)
def test_durations(nlp, text, expected):
    duration = value(nlp, text, "duration")
    assert duration == expected
    assert parse_duration_days(str(duration)) is not None


@pytest.mark.parametrize(
    "text,age,sex",
    [
        ("I'm 54", 54, None),
        ("I am 54 years old", 54, None),
        ("54yo with numb feet", 54, None),
        ("aged 54", 54, None),
        ("54F, numb toes", 54, "female"),
        ("62 male, type 2 diabetes", 62, "male"),
        ("in my late fifties", 58, None),
        ("70", 70, None),
    ],
)
def test_ages(nlp, text, age, sex):
    assert value(nlp, text, "age") == age
    assert value(nlp, text, "sex") == sex


def test_numbers_that_are_not_ages(nlp):
    assert value(nlp, "I'm 6 foot tall", "age") is None
    assert value(nlp, "my mum is 80 years old", "age") is None or all(
        m.assertion == "family" for m in mentions(nlp, "my mum is 80 years old", "age")
    )


@pytest.mark.parametrize(
    "text,side,location",
    [
        ("my left foot is numb", "left", "left foot"),
        ("tingling in both feet", "both", "both feet"),
        ("numbness on the sole of my right foot", "right", "sole of my right foot"),
        ("right", "right", None),
        ("both of them", "both", None),
        ("I need help right now", None, None),
        ("I left work early", None, None),
    ],
)
def test_sides_and_locations(nlp, text, side, location):
    assert value(nlp, text, "side") == side
    assert value(nlp, text, "location") == location


@pytest.mark.parametrize(
    "text,label,expected",
    [
        ("it came on suddenly", "onset", "sudden"),
        ("all of a sudden my leg went numb", "onset", "sudden"),
        ("it crept up gradually", "onset", "gradual"),
        ("it's getting worse", "progression", "worsening"),
        ("it comes and goes", "progression", "comes_and_goes"),
        ("it's getting better", "progression", "improving"),
        ("it's not getting better", "progression", "stable"),
        ("I'm a woman", "sex", "female"),
    ],
)
def test_onset_progression_sex(nlp, text, label, expected):
    assert value(nlp, text, label) == expected


def test_worse_when_walking_is_a_pattern_not_a_progression(nlp):
    assert value(nlp, "it's worse when I walk", "progression") is None


# ------------------------------------------------------------------ language and speed


@pytest.mark.parametrize(
    "text,expected",
    [
        ("tengo hormigueo en los pies", True),
        ("j'ai des fourmis dans les jambes", True),
        ("Мои ноги онемели", True),
        ("bonjour", True),
        ("my feet tingle", False),
        ("numbnes in my left foot since yesterday", False),
        ("ok", False),
        ("y", False),
        ("Siobhan here, 45, numb shin", False),
    ],
)
def test_non_english(nlp, text, expected):
    assert nlp.analyse(text).non_english is expected


def test_mentions_point_at_the_words(nlp):
    text = "Numb LEFT foot, no back pain"
    for m in nlp.extract(text):
        assert text[m.start : m.end] == m.text


def test_extraction_is_fast(nlp):
    messages = [
        "I've had numbness and tingling in both feet for about 3 weeks and it's getting worse",
        "no back pain, no bladder problems, I'm 54F and diabetic",
        "my left leg went numb suddenly this morning and my face feels weird",
        "pins and needles in my toes when I sit cross legged",
        "I'm scared it might be MS, my dad had a stroke",
    ] * 10
    for m in messages[:5]:
        nlp.extract(m)
    start = time.perf_counter()
    for m in messages:
        nlp.extract(m)
    per_message = (time.perf_counter() - start) / len(messages)
    assert per_message < 0.010, f"{per_message * 1000:.1f} ms per message"
