"""Prints how long the engine takes per assessment and per next-question choice.

Runs every cause's typical presentation through ``assess`` and ``next_questions``
many times and prints the mean per call, beside a baseline measured in the same run
(deriving the features alone), so the figure can be compared across machines.
"""

from __future__ import annotations

import time
from typing import Callable, List

from triage.engine import assess, next_questions
from triage.features import Findings, derive_features
from triage.table import load_table

ROUNDS = 40
REPEATS = 5


def _per_call(fn: Callable[[Findings], object], cases: List[Findings]) -> float:
    """Best of ``REPEATS`` timings (as timeit does): the least disturbed by other load."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(ROUNDS):
            for case in cases:
                fn(case)
        best = min(best, (time.perf_counter() - start) / (ROUNDS * len(cases)))
    return best


def main() -> None:
    table = load_table()
    cases = [Findings(**cause.typical_findings) for cause in table.causes.values()]
    baseline = _per_call(derive_features, cases)
    assess_s = _per_call(lambda f: assess(f, table), cases)
    questions_s = _per_call(lambda f: next_questions(f, table), cases)
    print(f"engine benchmark ({len(cases)} presentations x {ROUNDS} rounds, best of {REPEATS})")
    print("| step | mean per call | x feature derivation |")
    print("|---|---|---|")
    print(f"| derive features (baseline) | {baseline * 1e6:.1f} us | 1.0 |")
    print(f"| assess | {assess_s * 1e6:.1f} us | {assess_s / baseline:.1f} |")
    print(f"| next_questions | {questions_s * 1e6:.1f} us | {questions_s / baseline:.1f} |")


if __name__ == "__main__":
    main()
