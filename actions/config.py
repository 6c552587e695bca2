"""All configuration the action server reads, in one place."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from triage.table import DEFAULT_TABLE_DIR, Table, load_table

FORM_NAME = "interview_form"
SCREEN_SLOT = "screen_emergency"
# Free-text answers are clipped: the engine reads patterns, not essays.
MAX_TEXT_ANSWER = 300
TABLE_DIR = Path(os.environ.get("NUMBNESS_TABLE_DIR", str(DEFAULT_TABLE_DIR)))


@lru_cache(maxsize=1)
def table() -> Table:
    """The validated table, loaded once (a bad file fails at start-up, see actions/__init__)."""
    return load_table(TABLE_DIR)
