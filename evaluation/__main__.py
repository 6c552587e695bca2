"""``python -m evaluation``: run the vignettes against a running assistant and report.

Exit status: 0 when every emergency vignette was escalated, 1 when one was not (emergency
recall below 100%), 2 when the assistant cannot be reached or a vignette file is invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Sequence

from evaluation import REPO_ROOT, report
from evaluation.runner import DEFAULT_URL, MAX_TURNS, Outcome, RasaClient, run_all, token_from_env
from evaluation.vignettes import DEFAULT_VIGNETTE_DIR, Vignette, VignetteError, load_vignettes

DOCS = REPO_ROOT / "docs" / "evaluation.md"
IMAGE = REPO_ROOT / "docs" / "img" / "triage_confusion.png"
JSON_OUT = REPO_ROOT / "reports" / "eval.json"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL, help="Rasa server (loopback only)")
    parser.add_argument("--token", default=None, help="HTTP API token (default: $RASA_TOKEN or eval-token)")
    parser.add_argument("--vignettes", type=Path, default=DEFAULT_VIGNETTE_DIR, help="vignette folder")
    parser.add_argument(
        "--only", action="append", default=[], help="run only this vignette id (repeatable, or comma list)"
    )
    parser.add_argument("--max-turns", type=int, default=MAX_TURNS, help="user turns per conversation")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request")
    parser.add_argument("--docs", type=Path, default=DOCS, help="Markdown file to update")
    parser.add_argument("--json", type=Path, default=JSON_OUT, help="JSON results file")
    parser.add_argument("--image", type=Path, default=IMAGE, help="confusion matrix PNG")
    parser.add_argument("--no-write", action="store_true", help="print only; write no docs, image or JSON")
    parser.add_argument(
        "--section",
        default="eval",
        help="name of the generated section of the docs file (one per vignette set)",
    )
    parser.add_argument("--title", default="Results", help="heading of that section when first written")
    return parser.parse_args(argv)


def _progress(vignette: Vignette, outcome: Outcome) -> None:
    mark = "ok" if not report.failure_reasons(vignette, outcome) else "FAIL"
    print(
        f"{mark:4} {vignette.id:45} expected {vignette.expected_triage:19} "
        f"got {outcome.final_level or '-':19} questions {outcome.questions_asked}",
        flush=True,
    )


def _image_link(docs: Path, image: Path) -> str:
    try:
        return image.resolve().relative_to(docs.resolve().parent).as_posix()
    except ValueError:
        return image.resolve().as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, write outputs; the exit status."""
    args = parse_args(argv)
    only: List[str] = [part.strip() for item in args.only for part in item.split(",") if part.strip()]
    try:
        vignettes = load_vignettes(args.vignettes, only or None)
        token = args.token if args.token is not None else token_from_env()
        client = RasaClient(args.url, token, args.timeout)
    except (VignetteError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not client.is_up():
        print(
            f"error: no assistant answering at {args.url} (is it running? see `make eval`)", file=sys.stderr
        )
        return 2

    outcomes = run_all(vignettes, client, args.max_turns, _progress)
    results = list(zip(vignettes, outcomes, strict=True))
    metrics = report.compute_metrics(results)
    when = report.now_iso()

    print()
    print(report.comparison_table(metrics))
    print(report.confusion_markdown(report.confusion(results)))
    for vignette, outcome in results:
        reasons = report.failure_reasons(vignette, outcome)
        if reasons:
            print(f"--- FAIL {vignette.id}: " + "; ".join(reasons))
            print(report.transcript_text(outcome))
            print()

    if not args.no_write:
        report.write_json(args.json, report.results_json(results, metrics, when, args.url))
        print(f"wrote {args.json}")
        if only:
            print("partial run (--only): docs/evaluation.md and the image were not updated")
        else:
            report.plot_confusion(report.confusion(results), args.image)
            section = report.docs_section(results, metrics, _image_link(args.docs, args.image), when)
            report.write_docs(args.docs, section, args.section, args.title)
            print(f"wrote {args.docs} and {args.image}")

    missed = report.emergency_missed(results)
    if missed:
        print(f"emergency recall below 100%: not escalated: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
