"""`rasa data validate` with warnings as failures, minus one known false alarm.

Rasa warns that a response "is not used in any story or rule" when only a form or a
custom action sends it (``utter_ask_<slot>``, the assessment's templates). Those are
exactly the responses ``tests/test_actions.py`` checks against the code, so they are
allowed here; every other warning fails the run.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path
from typing import List, Set

ROOT = Path(__file__).resolve().parent.parent
# Rasa 3.6 prints this on every domain load, whatever the domain says.
_ALWAYS = "Slot auto-fill has been removed in 3.0"
_UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


def responses_sent_by_code() -> Set[str]:
    """``utter_*`` names the actions send, and the questions the form asks."""
    from triage.table import load_table

    # utter_restart and utter_default are sent by Rasa's own action_restart and fallback.
    questions = load_table().questions
    names = {f"utter_{kind}_{slot}" for slot in questions for kind in ("ask", "invalid")}
    names |= {"utter_restart", "utter_default"}
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("utter_")
            ):
                names.add(node.value)
    return names


def main() -> int:
    import rasa.cli.utils
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain"), [str(ROOT / "data")]
    )
    allowed = responses_sent_by_code()
    problems: List[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rasa.cli.utils.validate_files(False, 5, importer)
        except SystemExit as exc:
            if exc.code not in (0, None):
                problems.append(f"rasa data validate exited with {exc.code}")
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        text = str(warning.message)
        if text.startswith(_ALWAYS):
            continue
        match = _UNUSED.search(text)
        if match and match.group(1) in allowed:
            continue
        problems.append(text)
    for problem in problems:
        print(f"validation: {problem}")
    print(f"data validation: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
