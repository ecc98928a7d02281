"""Lag computation time from 1,000 to 100,000 months: it grows (near) linearly.

Baseline in the same run: building the same input list (the unavoidable linear part).

    python -m bench.lag_scaling
"""

import time

from api.services.lag import ArenaPoint, compute_lag, month_label
from bench.common import table


def points(months: int) -> list[ArenaPoint]:
    start = 12 * 2000
    result = []
    for i in range(months):
        label = month_label(start + i)
        result.append(ArenaPoint(label, "u", "U", "US", float(i)))
        result.append(ArenaPoint(label, "c", "C", "CN", float(i - 3 - i % 5)))
    return result


def best_of(runs: int, function: object) -> float:
    assert callable(function)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rows = []
    first = None
    for months in (1_000, 10_000, 100_000):
        data = points(months)
        lag = best_of(3, lambda data=data: compute_lag(data))
        build = best_of(3, lambda months=months: points(months))
        per_month_us = lag / months * 1e6
        first = first or per_month_us
        rows.append(
            [
                f"{months:,}",
                f"{lag * 1000:,.1f}",
                f"{per_month_us:.2f}",
                f"{per_month_us / first:.2f}",
                f"{build * 1000:,.1f}",
            ]
        )
    print(table(["months", "lag ms", "µs per month", "per-month vs 1,000", "input build ms"], rows))


if __name__ == "__main__":
    main()
