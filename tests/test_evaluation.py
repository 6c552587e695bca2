"""The clinical evaluation without a live assistant: vignettes, simulated patient, runner, report.

The runner is exercised end to end against a small fake Rasa server (``http.server`` on
127.0.0.1, ephemeral port) that runs a three-question form.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml

from evaluation import report
from evaluation.__main__ import main
from evaluation.patient import NO, UNSURE, YES, SimulatedPatient
from evaluation.runner import Outcome, RasaClient, run_vignette
from evaluation.vignettes import (
    DEFAULT_VIGNETTE_DIR,
    RED_FLAG_TAGS,
    SCREEN_FINDINGS,
    Vignette,
    load_vignettes,
    urgency,
    validate_data,
    validate_file,
    vignette_files,
)
from triage.contract import CAUSE_IDS, FINDINGS

UNSEEN_DIR = DEFAULT_VIGNETTE_DIR.parent / "vignettes_unseen"
FILES = vignette_files() + vignette_files(UNSEEN_DIR)
VIGNETTES = load_vignettes()
UNSEEN = load_vignettes(UNSEEN_DIR)
# Clinical consistency rules hold for every set, the held-out one included.
EVERY_VIGNETTE = VIGNETTES + UNSEEN
TOKEN = "test-token"


# ---------------------------------------------------------------- vignette files


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vignette_file_is_valid(path: Path) -> None:
    assert validate_file(path) == []


def test_enough_vignettes_with_unique_ids() -> None:
    assert len(VIGNETTES) >= 64
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)


def test_every_cause_is_the_main_cause_at_least_twice() -> None:
    counts = Counter(v.main_cause for v in VIGNETTES)
    assert {c: counts[c] for c in CAUSE_IDS if counts[c] < 2} == {}


def test_every_red_flag_is_exercised() -> None:
    seen = {t.split(":", 1)[1] for v in VIGNETTES for t in v.tags if t.startswith("red_flag:")}
    assert set(RED_FLAG_TAGS) - seen == set()


@pytest.mark.parametrize(
    "tag, minimum",
    [
        ("negation", 3),
        ("family_history", 2),
        ("hypothetical", 2),
        ("vague_opening", 6),
        ("atypical_wording", 6),
        ("self_care", 3),
        ("off_topic", 2),
        ("unsure_answers", 1),
    ],
)
def test_coverage_of_wording_categories(tag: str, minimum: int) -> None:
    assert sum(tag in v.tags for v in VIGNETTES) >= minimum


def test_family_history_and_hypotheticals_do_not_expect_escalation() -> None:
    for v in EVERY_VIGNETTE:
        if {"family_history", "hypothetical"} & set(v.tags):
            # Someone else's illness or a worry is no red flag: at most a routine appointment.
            assert urgency(v.expected_triage) <= urgency("consultation"), v.id
    stroke_in_family = [v for v in EVERY_VIGNETTE if "family_history" in v.tags and "stroke" in v.opening]
    assert stroke_in_family and all(v.finding("face_arm_speech_vision") is False for v in stroke_in_family)


def test_negation_vignettes_negate_in_the_opening_or_an_answer() -> None:
    negated = [v for v in EVERY_VIGNETTE if "negation" in v.tags]
    denial = re.compile(r"\b(no|not|none|nothing|fine|normal)\b|n't")

    def says_no(v: Vignette) -> bool:
        texts = [v.opening, *(str(a) for a in v.answers.values())]
        return any(denial.search(t.lower()) for t in texts)

    assert [v.id for v in negated if not says_no(v)] == []


def test_self_care_only_for_positional_cases_without_red_flags() -> None:
    red_flag_findings = set(SCREEN_FINDINGS) | {"leg_weakness", "ascending_spread", "trunk_numbness_level"}
    for v in EVERY_VIGNETTE:
        if v.expected_triage == "self_care":
            assert v.finding("position_related") is True, v.id
            assert not any(v.finding(f) for f in red_flag_findings), v.id


def test_emergency_turn_vignettes_expect_at_least_urgent() -> None:
    turn = [v for v in VIGNETTES if v.emergency_turn]
    assert len(turn) >= 15
    assert all(v.expected_triage in ("emergency_ambulance", "emergency", "urgent") for v in turn)


def test_unseen_set_covers_every_cause_and_red_flag() -> None:
    assert len(UNSEEN) >= 40
    assert not {v.id for v in UNSEEN} & {v.id for v in VIGNETTES}
    assert set(CAUSE_IDS) - {v.main_cause for v in UNSEEN} == set()
    seen = {t.split(":", 1)[1] for v in UNSEEN for t in v.tags if t.startswith("red_flag:")}
    assert set(RED_FLAG_TAGS) - seen == set()
    assert all(
        v.expected_triage in ("emergency_ambulance", "emergency", "urgent")
        for v in UNSEEN
        if v.emergency_turn
    )


def test_validator_reports_each_problem() -> None:
    data: Dict[str, Any] = yaml.safe_load(FILES[0].read_text())
    assert validate_data(data, FILES[0].stem) == []
    bad = dict(data)
    bad["facts"] = {"numb_feet": True, "side": "middle", "age": "old", "diabetes": "yes"}
    bad["expected_triage"] = "soon"
    bad["acceptable_triage"] = ["urgent"]
    bad["expected_causes"] = ["gout"]
    bad["tags"] = ["red_flag:headache"]
    problems = "\n".join(validate_data(bad, "other_name"))
    for fragment in (
        "id:",
        "numb_feet",
        "facts.side",
        "facts.age",
        "facts.diabetes",
        "soon",
        "gout",
        "headache",
    ):
        assert fragment in problems
    assert validate_data({"id": "x"})[0].endswith("missing")


# ---------------------------------------------------------------- simulated patient


def make_vignette(
    vid: str = "t_patient", facts: Dict[str, Any] | None = None, opening: str = "my feet tingle"
) -> Vignette:
    return Vignette(
        id=vid,
        opening=opening,
        facts=facts or {},
        expected_triage="consultation",
        acceptable_triage=("consultation",),
        expected_causes=("diabetic_neuropathy",),
        emergency_turn=False,
        notes="test",
    )


def first_word(text: str) -> str:
    return text.split(",")[0].split()[0].lower()


def test_yes_no_and_unknown_answers() -> None:
    patient = SimulatedPatient(make_vignette(facts={"diabetes": True, "smoker": False}))
    for _ in range(10):
        assert first_word(patient.answer_slot("diabetes")) in {"yes", "yeah", "yep"}
        assert patient.answer_slot("smoker") in NO
        assert patient.answer_slot("heavy_alcohol") in UNSURE
    yes_forms = {
        SimulatedPatient(make_vignette(f"v{i}", {"diabetes": True})).answer_slot("diabetes")
        for i in range(40)
    }
    assert len(yes_forms) > 3 and yes_forms & set(YES)


def test_screen_answers_yes_if_any_covered_fact_is_true() -> None:
    all_false = {name: False for name in SCREEN_FINDINGS}
    assert SimulatedPatient(make_vignette(facts=all_false)).answer_slot("screen_emergency") in NO
    some_unknown = dict(all_false)
    del some_unknown["saddle_numbness"]
    assert SimulatedPatient(make_vignette(facts=some_unknown)).answer_slot("screen_emergency") in UNSURE
    one_true = dict(all_false, bladder_bowel_problems=True)
    answer = SimulatedPatient(make_vignette(facts=one_true)).answer_slot("screen_emergency")
    assert first_word(answer) == "yes" or answer.startswith("yeah")
    assert "peeing" in answer


def test_descriptor_answers_are_sentences_from_the_facts() -> None:
    patient = SimulatedPatient(
        make_vignette(
            facts={
                "side": "both",
                "age": 54,
                "sex": "male",
                "location": "both feet and ankles",
                "onset": "sudden",
            }
        )
    )
    assert "both" in patient.answer_slot("side")
    assert "54" in patient.answer_slot("age")
    assert patient.answer_slot("sex") in ("male", "I'm a man", "man")
    assert "both feet and ankles" in patient.answer_slot("location")
    onset = patient.answer_slot("onset")
    assert "sudden" in onset or "nowhere" in onset
    # "How long, and suddenly or gradually?": the sheet knows only the onset part.
    duration = patient.answer_slot("duration")
    assert duration not in UNSURE and ("sudden" in duration or "nowhere" in duration)
    assert patient.answer_slot("favourite_colour") in UNSURE


def test_own_words_override_and_fallbacks() -> None:
    vignette = Vignette(
        **{
            **make_vignette(facts={"diabetes": True}).__dict__,
            "answers": {"diabetes": "type 1 since I was 9"},
        }
    )
    patient = SimulatedPatient(vignette)
    assert patient.answer([], "diabetes") == "type 1 since I was 9"
    assert patient.answer([{"text": "Anything else you want to tell me?"}], None) in UNSURE
    assert patient.answer([{"text": "Pick one", "buttons": [{"title": "a", "payload": "/a"}]}], "") in UNSURE
    assert patient.answer([{"text": "Thanks, here is my assessment."}], None) is None


def test_patient_is_deterministic_per_vignette() -> None:
    slots = ["diabetes", "side", "age", "screen_emergency", "smoker", "duration"] * 3
    facts: Dict[str, Any] = {
        "diabetes": True,
        "side": "left",
        "age": 70,
        "duration": "2 weeks",
        "smoker": True,
    }
    first = [SimulatedPatient(make_vignette("same", facts)).answer_slot(s) for s in slots]
    again = [SimulatedPatient(make_vignette("same", facts)).answer_slot(s) for s in slots]
    assert first == again


# ---------------------------------------------------------------- fake Rasa server

FORM = [
    ("screen_emergency", "Do you have any of these: face droop, numbness down below, bladder trouble?"),
    ("side", "Which side is it?"),
    ("diabetes", "Do you have diabetes?"),
]


class FakeRasa(BaseHTTPRequestHandler):
    """REST webhook and tracker of a tiny assistant with a three-slot form."""

    conversations: Dict[str, Dict[str, Any]] = {}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _reply(self, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self._reply(200, {"hello": "rasa"})
            return
        if urllib.parse.parse_qs(url.query).get("token") != [TOKEN]:
            self._reply(401, {"error": "unauthorized"})
            return
        sender = urllib.parse.unquote(url.path.split("/")[2])
        conv = self.conversations.get(sender, {"slots": {}, "active": False})
        loop = {"name": "interview_form"} if conv["active"] else {}
        self._reply(200, {"sender_id": sender, "slots": conv["slots"], "active_loop": loop})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        sender, text = body["sender"], body["message"]
        conv = self.conversations.setdefault(sender, {"slots": {}, "active": False, "step": 0, "said": []})
        conv["said"].append(text)
        slots = conv["slots"]
        if "endless" in sender:
            slots["requested_slot"] = "side"
            self._reply(200, [{"recipient_id": sender, "text": "Which side?"}])
            return
        if conv["step"] == 0 and "face" in text:
            slots.update(
                triage_level="emergency_ambulance", likely_causes=["stroke_tia"], requested_slot=None
            )
            self._reply(200, [{"recipient_id": sender, "text": "Call an ambulance now."}])
            return
        conv["step"] += 1
        if conv["step"] <= len(FORM):
            slot, question = FORM[conv["step"] - 1]
            slots["requested_slot"] = slot
            conv["active"] = True
            buttons = [{"title": t, "payload": t} for t in ("Yes", "No", "Not sure")]
            self._reply(200, [{"recipient_id": sender, "text": question, "buttons": buttons}])
            return
        slots.update(triage_level="consultation", requested_slot=None)
        slots["likely_causes"] = ["diabetic_neuropathy", "b12_deficiency"]
        conv["active"] = False
        self._reply(200, [{"recipient_id": sender, "text": "Please book an appointment."}])


@pytest.fixture()
def fake_rasa() -> Iterator[str]:
    FakeRasa.conversations = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def said(outcome: Outcome) -> List[str]:
    return FakeRasa.conversations[outcome.sender]["said"]


def test_runner_completes_an_interview(fake_rasa: str) -> None:
    vignette = make_vignette(
        "t_runner", {"side": "both", "diabetes": True, **{f: False for f in SCREEN_FINDINGS}}
    )
    outcome = run_vignette(vignette, RasaClient(fake_rasa, TOKEN, timeout=5))
    assert outcome.error is None
    assert outcome.turns == 4 and outcome.questions_asked == 3
    assert outcome.first_turn_level is None
    assert outcome.final_level == "consultation"
    assert outcome.likely_causes == ["diabetic_neuropathy", "b12_deficiency"]
    messages = said(outcome)
    assert messages[0] == "my feet tingle"
    assert messages[1] in NO and "both" in messages[2]
    assert first_word(messages[3]) in {"yes", "yeah", "yep"}
    assert [t.speaker for t in outcome.transcript[:2]] == ["patient", "bot"]
    assert outcome.transcript[1].buttons == ["Yes", "No", "Not sure"]
    assert "requested_slot=screen_emergency" in report.transcript_text(outcome)


def test_runner_records_the_level_after_the_first_turn(fake_rasa: str) -> None:
    vignette = make_vignette("t_stroke", opening="my face dropped and my leg is numb")
    outcome = run_vignette(vignette, RasaClient(fake_rasa, TOKEN, timeout=5))
    assert outcome.first_turn_level == outcome.final_level == "emergency_ambulance"
    assert outcome.turns == 1 and outcome.questions_asked == 0


def test_runner_stops_at_the_turn_limit(fake_rasa: str) -> None:
    outcome = run_vignette(make_vignette("t_endless"), RasaClient(fake_rasa, TOKEN, timeout=5), max_turns=5)
    assert outcome.turns == 5 and outcome.questions_asked == 5 and outcome.final_level is None


def test_runner_records_http_and_connection_errors(fake_rasa: str) -> None:
    outcome = run_vignette(make_vignette("t_token"), RasaClient(fake_rasa, "wrong", timeout=5))
    assert outcome.error is not None and "401" in outcome.error
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", TOKEN, timeout=2)
    assert not client.is_up()
    assert run_vignette(make_vignette("t_down"), client).error is not None


def test_runner_allows_loopback_only() -> None:
    for url in ("http://example.com:5005", "http://10.0.0.1:5005", "ftp://localhost"):
        with pytest.raises(ValueError):
            RasaClient(url)
    assert RasaClient("http://localhost:5005/").url == "http://localhost:5005"


# ---------------------------------------------------------------- report


def synthetic(
    vid: str,
    expected: str,
    acceptable: List[str],
    final: str | None,
    first: str | None = None,
    turn: bool = False,
    cause: str = "stroke_tia",
    likely: List[str] | None = None,
    questions: int = 0,
    error: str | None = None,
) -> report.Result:
    vignette = Vignette(vid, "x", {"age": 50}, expected, tuple(acceptable), (cause,), turn, "n")
    outcome = Outcome(vid, "s", first, final, likely or [], questions, 1, [], error)
    return vignette, outcome


RESULTS = [
    synthetic(
        "a",
        "emergency_ambulance",
        ["emergency_ambulance", "emergency"],
        "emergency",
        "emergency",
        turn=True,
        likely=["stroke_tia"],
    ),
    synthetic(
        "b",
        "emergency",
        ["emergency", "emergency_ambulance"],
        "urgent",
        None,
        turn=True,
        cause="cauda_equina_syndrome",
        likely=["sciatica", "herniated_disc", "cauda_equina_syndrome"],
        questions=4,
    ),
    synthetic(
        "c",
        "self_care",
        ["self_care", "consultation"],
        "urgent",
        "urgent",
        cause="positional_compression",
        likely=["positional_compression"],
        questions=6,
    ),
    synthetic("d", "consultation", ["consultation"], None, cause="diabetic_neuropathy", error="down"),
]


def test_report_figures_on_synthetic_results() -> None:
    m = report.compute_metrics(RESULTS)
    # "a" ends acceptable but below its expected level: safe triage counts it as under-triage.
    assert m.n == 4 and m.acceptable_pct == 25.0 and m.safe_pct == 25.0
    assert m.under_triage == 3 and m.over_triage == 1
    assert (m.emergency_n, m.emergency_escalated, m.emergency_recall_pct) == (2, 1, 50.0)
    assert (m.same_turn_n, m.same_turn_hits, m.same_turn_pct) == (2, 1, 50.0)
    assert (m.self_care_n, m.self_care_to_urgent) == (1, 1)
    assert (m.top1_pct, m.top3_pct) == (50.0, 75.0)
    assert m.median_questions == 4 and m.errors == 1
    assert report.emergency_missed(RESULTS) == ["b"]
    reasons = " | ".join(report.failure_reasons(*RESULTS[1]))
    assert "under-triage" in reasons and "not escalated" in reasons and "turn 1" in reasons
    assert report.failure_reasons(*RESULTS[0]) == []


def test_report_empty_and_table() -> None:
    empty = report.compute_metrics([])
    assert empty.acceptable_pct is None and empty.median_questions is None
    table = report.comparison_table(report.compute_metrics(RESULTS))
    for figure in ("57%", "80%", "34%", "58%", "70.5%", "82.1%", "97.0%", "49%", "n=4"):
        assert figure in table
    assert "one complaint" in table


def test_confusion_matrix_and_outputs(tmp_path: Path) -> None:
    matrix = report.confusion(RESULTS)
    assert matrix["emergency"]["urgent"] == 1 and matrix["consultation"]["none"] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == len(RESULTS)
    image = report.plot_confusion(matrix, tmp_path / "img" / "m.png")
    assert image.read_bytes()[:4] == b"\x89PNG"
    data = report.results_json(RESULTS, report.compute_metrics(RESULTS), "today", "http://localhost:5005")
    json.loads(json.dumps(data))
    assert report.write_json(tmp_path / "r" / "eval.json", data).exists()


def test_docs_section_is_replaced_between_markers(tmp_path: Path) -> None:
    docs = tmp_path / "evaluation.md"
    report.write_docs(docs, "first run")
    text = docs.read_text()
    assert text.startswith("# Evaluation") and "first run" in text
    docs.write_text("intro\n\n" + text + "\nafter the section\n")
    report.write_docs(docs, "second run")
    text = docs.read_text()
    assert "second run" in text and "first run" not in text
    assert text.startswith("intro") and "after the section" in text
    assert text.count(report.START_MARKER) == 1
    assert report.replace_section("own notes", "s").startswith("own notes\n\n## Results")


def test_main_end_to_end_against_fake_server(fake_rasa: str, tmp_path: Path) -> None:
    folder = tmp_path / "vignettes"
    folder.mkdir()
    base = yaml.safe_load(FILES[0].read_text())
    stroke = dict(base, id="001_stroke", opening="my face dropped and my leg went numb", emergency_turn=True)
    missed = dict(base, id="002_missed", opening="my leg is numb", emergency_turn=False)
    for data in (stroke, missed):
        (folder / f"{data['id']}.yml").write_text(yaml.safe_dump(data))
    args = ["--url", fake_rasa, "--token", TOKEN, "--vignettes", str(folder)]
    outputs = [
        "--docs",
        str(tmp_path / "e.md"),
        "--json",
        str(tmp_path / "e.json"),
        "--image",
        str(tmp_path / "e.png"),
    ]
    assert main(args + ["--only", "001_stroke"] + outputs) == 0
    assert (tmp_path / "e.json").exists() and not (tmp_path / "e.md").exists()
    assert main(args + outputs) == 1
    assert "002_missed" in (tmp_path / "e.md").read_text() and (tmp_path / "e.png").exists()
    assert main(args + ["--only", "nope", "--no-write"]) == 2


def test_findings_in_vignettes_are_contract_names() -> None:
    used = {k for v in VIGNETTES for k, value in v.facts.items() if isinstance(value, bool)}
    assert used <= set(FINDINGS)


def test_a_two_part_question_gets_both_parts_or_not_sure() -> None:
    both = SimulatedPatient(make_vignette(facts={"duration": "about 3 weeks", "onset": "gradual"}))
    answer = both.answer_slot("duration")
    assert "about 3 weeks" in answer
    assert any(word in answer for word in ("gradual", "slowly", "crept"))
    neither = SimulatedPatient(make_vignette(facts={"side": "left"}))
    assert neither.answer_slot("duration") in UNSURE
