"""Benchmark harness: this project's assistant against the stock ``rasa init`` one.

Run ``python -m bench`` (see :mod:`bench.cli`) for the full benchmark and
``python -m bench.profile`` (see :mod:`bench.profile`) for an in-process breakdown
of where a turn's time goes.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
