"""Small, dependency-free statistics and formatting helpers used by the benchmark."""

from __future__ import annotations

import math
from typing import Dict, Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """Return the ``pct``-th percentile of ``values`` with linear interpolation.

    Matches ``numpy.percentile(values, pct)`` (the default "linear" method).

    Raises:
        ValueError: if ``values`` is empty or ``pct`` is outside ``[0, 100]``.
    """
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0.0 <= pct <= 100.0:
        raise ValueError(f"percentile must be within [0, 100], got {pct}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    weight = rank - low
    return float(ordered[low] * (1.0 - weight) + ordered[high] * weight)


def summarize(values: Sequence[float]) -> Dict[str, float]:
    """Summarize a latency sample: count, mean, p50, p95, p99, min and max.

    An empty sample gives ``{"n": 0}`` so callers can still serialize it.
    """
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "mean": sum(values) / len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "min": float(min(values)),
        "max": float(max(values)),
    }


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """Return ``ours / baseline``, or ``None`` when either is missing or baseline is 0."""
    if ours is None or baseline is None:
        return None
    if baseline == 0:
        return None
    return ours / baseline


def format_ratio(value: float | None) -> str:
    """Format a ratio as e.g. ``1.03×``; ``n/a`` when it is unknown."""
    if value is None or math.isnan(value) or math.isinf(value):
        return "n/a"
    if value >= 100:
        return f"{value:.0f}×"
    if value >= 10:
        return f"{value:.1f}×"
    return f"{value:.2f}×"


def format_value(value: float | None, unit: str) -> str:
    """Format a measured figure in its unit (``s``, ``ms``, ``bytes``, ``turns/s``...).

    ``None`` (not measured) is shown as ``—``.
    """
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "bytes":
        return format_bytes(value)
    if unit == "turns/s":
        return f"{value:.2f} turns/s"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:g} {unit}".strip()


def format_bytes(value: float) -> str:
    """Format a byte count with binary units (``KiB``, ``MiB``, ``GiB``)."""
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(size) < 1024.0 or unit == "GiB":
            if unit == "B":
                return f"{size:.0f} B"
            return f"{size:.1f} {unit}"
        size /= 1024.0
    return f"{size:.1f} GiB"  # pragma: no cover - loop always returns
