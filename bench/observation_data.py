"""A migrated, seeded aigap SQLite file (or PostgreSQL database) plus generated observations,
for list benchmarks.

The shape follows real indicator data (World Bank, OECD.AI): several hundred indicators
across the six pillars, each annual, quarterly or monthly; the US and China in every
indicator and a long tail of other countries covering fewer indicators; about 3 % of
records corrected once (a closed revision 1 under a current revision 2) and 0.5 % retired.
"""

import random
import sqlite3
from collections.abc import Iterator
from datetime import date

import psycopg

from bench.common import aigap

PILLARS = ("funding", "regulation", "talent", "diffusion", "models", "compute")
OTHER_COUNTRIES = (
    "GB DE FR JP KR IN CA IL SG TW AU NL SE CH IT ES BR AE SA FI DK NO IE PL BE AT ID MY VN TR"
).split()
FREQUENCIES = (("annual", 0.4), ("quarterly", 0.2), ("monthly", 0.4))
STATUSES = (("actual", 0.9), ("estimate", 0.07), ("projected", 0.03))
QUALIFIERS = (("exact", 0.85), ("about", 0.1), ("more_than", 0.05))
VALID_FROM = "2026-01-01 00:00:00.000000"
CORRECTED_AT = "2026-06-01 00:00:00.000000"
SOURCE = "insikt-2025-us-china-ai-gap"
OBSERVATION_COLUMNS = (
    "source_key, source_location, cited_source, note, indicator_key, country, period, "
    "period_start, period_end, value, value_max, qualifier, unit, status, key, revision, "
    "valid_from, valid_to, retired, changed_by"
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _span(year: int, month: int, months: int) -> tuple[str, str]:
    """First and last day of the `months`-month period starting at year-month."""
    after = year * 12 + month - 1 + months
    last = date.fromordinal(date(after // 12, after % 12 + 1, 1).toordinal() - 1)
    return date(year, month, 1).isoformat(), last.isoformat()


def _period_label(year: int, month: int, months: int) -> str:
    if months == 1:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}/{year}-{month + months - 1:02d}"  # a quarter as a span


def _periods(frequency: str) -> list[tuple[str, str, str]]:
    """(period, first day, last day) of every period of a series."""
    if frequency == "annual":
        return [(str(y), *_span(y, 1, 12)) for y in range(2000, 2026)]
    step, first_year = (3, 2010) if frequency == "quarterly" else (1, 2015)
    return [
        (_period_label(year, month, step), *_span(year, month, step))
        for year in range(first_year, 2026)
        for month in range(1, 13, step)
    ]


def _indicator_keys(count: int) -> list[tuple[str, str]]:
    return [(f"gen-{PILLARS[i % 6]}-{i:04d}", PILLARS[i % 6]) for i in range(count)]


def _rows(total: int, seed: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed)
    written = 0
    for indicator, _pillar in _indicator_keys(10_000):
        frequency = _pick(rng, FREQUENCIES)
        tail = min(len(OTHER_COUNTRIES), int(rng.paretovariate(1.2)) * 2)
        countries = ["US", "CN", *rng.sample(OTHER_COUNTRIES, tail)]
        level = rng.lognormvariate(8, 3)
        for country in countries:
            scale = level * rng.lognormvariate(0, 1)
            for period, start, end in _periods(frequency):
                if written >= total:
                    return
                key = f"{indicator}-{country.lower()}-{period}"
                value = round(scale * rng.lognormvariate(0, 0.2), 3)
                common = (SOURCE, "generated", None, None, indicator, country, period, start, end)
                tail_fields = (None, _pick(rng, QUALIFIERS), None, _pick(rng, STATUSES), key)
                roll = rng.random()
                if roll < 0.03 and written + 2 <= total:  # corrected once
                    yield (*common, value * 0.9, *tail_fields, 1, VALID_FROM, CORRECTED_AT, 0, "x")
                    yield (*common, value, *tail_fields, 2, CORRECTED_AT, None, 0, "x")
                    written += 2
                    continue
                retired = 1 if roll > 0.995 else 0
                yield (*common, value, *tail_fields, 1, VALID_FROM, None, retired, "x")
                written += 1


def build(path: str, rows: int = 1_000_000, seed: int = 1) -> dict[str, int]:
    """Migrate and seed `path`, then add generated indicators and `rows` observations."""
    url = f"sqlite:///{path}"
    aigap(url, "migrate")
    aigap(url, "seed")
    connection = sqlite3.connect(path)
    with connection:
        generated = list(_rows(rows, seed))
        used = sorted({str(row[4]) for row in generated})
        pillar_of = dict(_indicator_keys(10_000))
        connection.executemany(
            "INSERT INTO indicators (pillar, name, unit, description, higher_is_better, "
            "headline, key, revision, valid_from, valid_to, retired, changed_by) "
            "VALUES (?, ?, 'units', NULL, 1, 0, ?, 1, ?, NULL, 0, 'bench')",
            [(pillar_of[key], f"Generated {key}", key, VALID_FROM) for key in used],
        )
        placeholders = ", ".join("?" * 20)
        connection.executemany(
            f"INSERT INTO observations ({OBSERVATION_COLUMNS}) VALUES ({placeholders})",
            generated,
        )
    connection.execute("ANALYZE")
    counts = {
        "observations": connection.execute("SELECT count(*) FROM observations").fetchone()[0],
        "indicators": len(used),
    }
    connection.close()
    return counts


def build_postgresql(url: str, rows: int = 1_000_000, seed: int = 1) -> dict[str, int]:
    """The same as `build`, into the (empty) PostgreSQL database at `url`: migrate and seed
    with the CLI, then COPY the same generated indicators and observations."""
    aigap(url, "migrate")
    aigap(url, "seed")
    generated = list(_rows(rows, seed))
    used = sorted({str(row[4]) for row in generated})
    pillar_of = dict(_indicator_keys(10_000))
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY indicators (pillar, name, unit, description, higher_is_better, headline, "
                "key, revision, valid_from, valid_to, retired, changed_by) FROM STDIN"
            ) as copy:
                for key in used:
                    name = f"Generated {key}"
                    since = f"{VALID_FROM}+00"
                    fields = (pillar_of[key], name, "units", None, True, False, key, 1, since)
                    copy.write_row((*fields, None, False, "bench"))
            with cursor.copy(f"COPY observations ({OBSERVATION_COLUMNS}) FROM STDIN") as copy:
                for row in generated:
                    # SQLite takes 0/1 and naive UTC times; PostgreSQL wants booleans and zones.
                    valid_from, valid_to, retired = row[16], row[17], row[18]
                    copy.write_row(
                        (
                            *row[:16],
                            f"{valid_from}+00",
                            None if valid_to is None else f"{valid_to}+00",
                            bool(retired),
                            row[19],
                        )
                    )
        # What autovacuum does to a live database within a minute of a bulk load: without
        # the visibility map a count cannot read an index alone (index-only scan).
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        counted = connection.execute("SELECT count(*) FROM observations").fetchone()
    return {"observations": int(counted[0]) if counted else 0, "indicators": len(used)}
