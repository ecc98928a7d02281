"""The lag with its Monte Carlo interval at the volume real leaderboards bring.

100 months x 300 models (120 US, 60 Chinese, 120 elsewhere), every score with a 95%
interval of a few points as LMArena publishes, tops close enough that intervals overlap.
Uncached, best and median of repeated runs:
- the pure computation with intervals (2,000 draws, the default);
- the baseline measured in the same run: the same scores without intervals (the point
  method alone, the work before this change);
- end to end through the service on a temporary SQLite file: reading 30,000 scores with
  their models' places, then computing (the lag cache cleared before every run).

    python -m bench.lag_uncertainty [--months 100] [--models 300] [--runs 7]
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.db import transaction
from api.models.models import AiModel, ArenaScore, Classification
from api.services.lag import ArenaPoint, compute_lag, month_label
from api.services.models import clear_lag_cache, lag_series
from api.services.revisions import write_many
from api.settings import Settings
from bench.common import table


def leaderboard(months: int, models: int, seed: int = 1) -> list[ArenaPoint]:
    rng = random.Random(seed)
    countries = ["US"] * (models * 2 // 5) + ["CN"] * (models // 5)
    countries += ["FR"] * (models - len(countries))
    strength = [rng.gauss(0, 60) for _ in range(models)]
    points = []
    for i in range(months):
        month = month_label(24_000 + i)
        for j, country in enumerate(countries):
            score = 1100 + 3 * i + strength[j] + rng.gauss(0, 5) - (8 if country == "CN" else 0)
            half = rng.uniform(4, 12)
            points.append(
                ArenaPoint(month, f"m{j}", country, country, score, score - half, score + half)
            )
    return points


def timed(runs: int, function: Callable[[], Any]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def end_to_end(points: list[ArenaPoint], runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as directory:
        from alembic import command
        from api.cli import alembic_config

        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        command.upgrade(alembic_config(url), "head")
        settings = Settings(database_url=url)
        models = {
            p.model: {
                "name": p.model,
                "organization": p.organization,
                "country": p.country,
                "classification": Classification.curated,
                "family_rule": None,
                "leaderboard_organization": None,
                "source_key": "bench",
                "source_location": "bench",
                "cited_source": None,
                "note": None,
                "release_date": None,
                "open_weights": None,
                "mmlu": None,
                "gpqa": None,
                "usd_per_m_input": None,
                "usd_per_m_output": None,
            }
            for p in points
        }
        scores = {
            f"{p.month}.{p.model}": {
                "month": p.month,
                "category": "full",
                "model_key": p.model,
                "score": p.score,
                "ci_lower": p.ci_lower,
                "ci_upper": p.ci_upper,
                "votes": None,
                "source_key": "bench",
                "source_location": "bench",
                "cited_source": None,
                "note": None,
            }
            for p in points
        }
        with transaction(settings) as session:
            write_many(session, AiModel, models, changed_by="bench")
            write_many(session, ArenaScore, scores, changed_by="bench")

        def one() -> None:
            clear_lag_cache()
            with transaction(settings) as session:
                series = lag_series(session, data_version=1)
            assert all(p.interval is not None for p in series.series)

        return timed(runs, one)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=100)
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    points = leaderboard(args.months, args.models)
    bare = [p._replace(ci_lower=None, ci_upper=None) for p in points]
    compute_lag(points)  # warm numpy up
    with_interval = timed(args.runs, lambda: compute_lag(points))
    baseline = timed(args.runs, lambda: compute_lag(bare))
    service = end_to_end(points, args.runs)
    rows = [
        ["point method only (baseline)", f"{baseline[0]:.1f}", f"{baseline[1]:.1f}", "1.00"],
        [
            "with 90% interval, 2,000 draws",
            f"{with_interval[0]:.1f}",
            f"{with_interval[1]:.1f}",
            f"{with_interval[1] / baseline[1]:.2f}",
        ],
        [
            "service: SQLite read + interval",
            f"{service[0]:.1f}",
            f"{service[1]:.1f}",
            f"{service[1] / baseline[1]:.2f}",
        ],
    ]
    print(
        f"{args.months} months x {args.models} models ({len(points):,} scores), "
        f"{args.runs} runs each"
    )
    print(table(["lag computation", "best ms", "median ms", "median vs baseline"], rows))


if __name__ == "__main__":
    main()
