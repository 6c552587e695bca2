"""Clinical evaluation: simulated patients talk to a running assistant and the results are scored.

Modules:

- ``vignettes``: the vignette schema, loader and validator (``tests/vignettes/*.yml``).
- ``patient``: a deterministic simulated patient answering from a vignette's fact sheet.
- ``runner``: drives one conversation per vignette over the Rasa REST channel and HTTP API.
- ``report``: figures, the comparison table, failures, ``docs/evaluation.md`` and JSON output.

Run with ``python -m evaluation`` against a running assistant.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
