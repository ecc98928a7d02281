"""Varied traffic (issue 17): aigap versus Datasette on 1,000,000 observations when every
request asks a different question, so a response cache cannot answer most of them.

For each filter of bench/observation_list.py (one series; a broad filter) the script
generates N distinct but equivalent (aigap URL, Datasette URL) pairs from the generated
database: one series varies the indicator and the country among series that exist; the broad
filter varies country, status, the `from` date and the page (pages 1-3; Datasette's page is
its own keyset `_next`). wrk draws each request from the list uniformly or by a Zipf law
(bench/varied.lua); the single-URL case of bench/observation_list.py is kept beside them, for
reference only.

Servers: Datasette 0.65.5 on the SQLite file; `aigap serve` on the same file with one worker
(defaults), without its response cache (AIGAP_RESPONSE_CACHE_BYTES=0), with two workers; and
`aigap serve` on the same rows in a throwaway PostgreSQL database, one and two workers. Every
(case, server) gets a fresh server and a warm-up with the same draw; rounds alternate the
order so drift hits both sides, and each ratio is against Datasette's figure for the same case
in the same round. Also: each server's RSS after the run, and cold start (spawn to the first
200 on a list URL, median of 3).

    python -m bench.varied_traffic [--seconds 10] [--rounds 2] [--connections 32]
        [--pairs 2000] [--no-postgresql] [--rows 1000000] [--data DIR]

Servers run the app of the tree the bench runs from. To measure a commit while the working
tree is mid-edit, export it and run from there (about 25 minutes with PostgreSQL):

    mkdir -p /tmp/aigap-head && git archive HEAD | tar -x -C /tmp/aigap-head && cd /tmp/aigap-head
    /work/main/.venv/bin/python -m bench.varied_traffic --seconds 10
"""

import argparse
import bisect
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from bench.common import (
    ROOT,
    free_port,
    rss_mib,
    spawned,
    table,
    throwaway_database,
    worker_sizes,
    wrk,
)
from bench.observation_data import build_postgresql
from bench.observation_list import (
    CURRENT,
    DATASETTE_VERSION,
    PAGE_SIZE,
    database_file,
    datasette_args,
    datasette_binary,
    scenarios,
)
from tests.live import serving

Pair = tuple[str, str]  # (aigap path, Datasette path), the same question
SCRIPT = ROOT / "bench" / "varied.lua"
ZIPF_S = 1.1
FILTERS = ("one series", "broad filter")
DRAWS = ("1 URL", "uniform", "Zipf")
BROAD_STATUSES, STATUS_WEIGHTS = ("actual", "estimate", "projected"), (0.75, 0.2, 0.05)
BROAD_PAGES, PAGE_WEIGHTS = (1, 2, 3), (0.6, 0.25, 0.15)
MIN_BROAD_TOTAL = 1_000  # a broad question: at least ten pages of answers


# --- the questions (pure: tests/ops/test_bench_varied.py) ---------------------------------


def series_pair(indicator: str, country: str) -> Pair:
    return (
        f"/v1/observations?indicator={indicator}&country={country}&limit={PAGE_SIZE}",
        f"/bench/observations.json?indicator_key={indicator}&country={country}&{CURRENT}"
        f"&_sort=period_start&_size={PAGE_SIZE}",
    )


def one_series_pairs(series: Sequence[tuple[str, str]], n: int, seed: int = 17) -> list[Pair]:
    """`n` distinct (indicator, country) series drawn from those that exist, in random order
    (the order is the Zipf rank)."""
    distinct = sorted(set(series))
    if len(distinct) < n:
        raise ValueError(f"only {len(distinct)} series exist, {n} asked")
    return [series_pair(*one) for one in random.Random(seed).sample(distinct, n)]


def broad_pair(country: str, status: str, since: str, page: int, after: int | None) -> Pair:
    """The broad filter; page > 1 in Datasette is its keyset: rows whose id is above `after`
    (the last id of the previous page in its id order)."""
    ours = f"/v1/observations?country={country}&status={status}&from={since}&limit={PAGE_SIZE}"
    theirs = (
        f"/bench/observations.json?country={country}&status={status}&period_end__gte={since}"
        f"&{CURRENT}&_size={PAGE_SIZE}"
    )
    if page > 1:
        ours += f"&page={page}"
        theirs += f"&_next={after}"
    return ours, theirs


@dataclass
class _Group:
    """The current rows of one (country, status): ids in order, and sorted period ends."""

    rows: list[tuple[int, str]]  # (id, period_end) by id
    ends: list[str]  # sorted

    def total(self, since: str) -> int:
        return len(self.ends) - bisect.bisect_left(self.ends, since)

    def last_id_before_page(self, since: str, page: int) -> int:
        """The id of the last matching row of page `page - 1` in id order."""
        wanted = (page - 1) * PAGE_SIZE
        seen = 0
        for row_id, end in self.rows:
            if end >= since:
                seen += 1
                if seen == wanted:
                    return row_id
        raise ValueError("no such page")


def broad_pairs(
    rows: Iterable[tuple[int, str, str, str | None]],
    n: int,
    seed: int = 17,
    min_total: int = MIN_BROAD_TOTAL,
) -> list[tuple[Pair, int]]:
    """`n` distinct broad questions, each with its number of matching rows, from the current
    rows' (id, country, status, period_end). Countries are drawn with the US and China eight
    times as often as each other country; statuses, months since 2000 and pages (1-3) vary
    too; a question with fewer than `min_total` answers, or without its page, is drawn again."""
    grouped: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for row_id, country, status, end in rows:
        if end is not None:
            grouped[(country, status)].append((row_id, end))
    groups = {
        key: _Group(sorted(members), sorted(end for _, end in members))
        for key, members in grouped.items()
    }
    countries = sorted({country for country, _ in groups})
    weights = [8 if country in ("US", "CN") else 1 for country in countries]
    months = [date(year, month, 1).isoformat() for year in range(2000, 2026) for month in (1, 7)]
    months += [date(year, month, 1).isoformat() for year in range(2015, 2026) for month in (4, 10)]
    rng = random.Random(seed)
    chosen: dict[tuple[str, str, str, int], tuple[Pair, int]] = {}
    for _attempt in range(n * 200):
        if len(chosen) == n:
            break
        country = rng.choices(countries, weights)[0]
        status = rng.choices(BROAD_STATUSES, STATUS_WEIGHTS)[0]
        since = rng.choice(months)
        page = rng.choices(BROAD_PAGES, PAGE_WEIGHTS)[0]
        key = (country, status, since, page)
        group = groups.get((country, status))
        if key in chosen or group is None:
            continue
        total = group.total(since)
        if total < min_total or total <= (page - 1) * PAGE_SIZE:
            continue
        after = group.last_id_before_page(since, page) if page > 1 else None
        chosen[key] = (broad_pair(country, status, since, page, after), total)
    if len(chosen) < n:
        raise ValueError(f"only {len(chosen)} distinct broad questions found, {n} asked")
    return list(chosen.values())


def zipf_cdf(n: int, s: float = ZIPF_S) -> list[float]:
    """The cumulative Zipf weights over ranks 1..n, as bench/varied.lua computes them."""
    weights = [1 / k**s for k in range(1, n + 1)]
    total = sum(weights)
    cdf, running = [], 0.0
    for weight in weights:
        running += weight
        cdf.append(running / total)
    cdf[-1] = 1.0
    return cdf


def questions(path: Path, n: int) -> dict[str, list[Pair]]:
    """The generated pairs of both filters, from the database file."""
    with sqlite3.connect(path) as connection:
        series = connection.execute(
            "SELECT DISTINCT indicator_key, country FROM observations "
            "WHERE valid_to IS NULL AND retired = 0 AND indicator_key LIKE 'gen-%'"
        ).fetchall()
        rows = connection.execute(
            "SELECT id, country, status, period_end FROM observations "
            "WHERE valid_to IS NULL AND retired = 0"
        ).fetchall()
    return {
        "one series": one_series_pairs(series, n),
        "broad filter": [pair for pair, _total in broad_pairs(rows, n)],
    }


# --- servers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    label: str
    database: str  # SQLite or PostgreSQL
    workers: int
    cache: bool = True

    @property
    def is_datasette(self) -> bool:
        return self.label == "Datasette"


DATASETTE = Server("Datasette", "SQLite", 1)
AIGAP_SERVERS = (
    Server("aigap", "SQLite", 1),
    Server("aigap, no response cache", "SQLite", 1, cache=False),
    Server("aigap", "SQLite", 2),
    Server("aigap", "PostgreSQL", 1),
    Server("aigap", "PostgreSQL", 2),
)


def aigap_serve(port: int, workers: int, binary: str | None = None) -> list[str]:
    command = [binary] if binary else [sys.executable, "-m", "api.cli"]
    return [*command, "serve", "--port", str(port), "--workers", str(workers)]


def aigap_env(database_url: str, *, cache: bool = True) -> dict[str, str]:
    env = {**os.environ, "AIGAP_DATABASE_URL": database_url, "AIGAP_LOG_LEVEL": "warning"}
    # The app of this tree, also for the `aigap` script (an editable install points elsewhere
    # when this tree is an exported commit).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("AIGAP_RESPONSE_CACHE_BYTES", None)
    if not cache:
        env["AIGAP_RESPONSE_CACHE_BYTES"] = "0"
    return env


@contextmanager
def started(
    server: Server, urls: dict[str, str], datasette: Path, sqlite_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    if server.is_datasette:
        args = datasette_args(datasette, sqlite_path, port, immutable=False)
        with spawned(args, port, "/-/versions.json") as running:
            yield running
        return
    env = aigap_env(urls[server.database], cache=server.cache)
    with spawned(aigap_serve(port, server.workers), port, "/healthz", env) as running:
        if server.workers > 1:
            _all_workers_up(running[1].pid, server.workers)
        yield running


def _all_workers_up(pid: int, workers: int, wait: float = 60) -> None:
    """uvicorn answers as soon as one worker listens; wait (up to `wait` s) until every worker
    has imported the app: each past 60 MiB (the app imported; a bare interpreter is ~10) and
    no longer growing."""
    deadline = time.monotonic() + wait
    before = 0.0
    while time.monotonic() < deadline:
        sizes = worker_sizes(pid)
        if len(sizes) >= workers and min(sizes) > 60 and sum(sizes) - before < 1:
            return
        before = sum(sizes)
        time.sleep(0.5)


# --- measuring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    filter: str
    draw: str
    connections: int


def run_case(
    base: str, case: Case, single: str, paths_file: Path, seconds: int
) -> dict[str, float]:
    """Warm-up with the same draw, then the measured run."""
    if case.draw == "1 URL":
        httpx.get(base + single, timeout=60).raise_for_status()
        wrk(base + single, connections=case.connections, seconds=2)
        return wrk(base + single, connections=case.connections, seconds=seconds)
    draw = "zipf" if case.draw == "Zipf" else "uniform"
    # The warm-up draws with another seed than the measured run: with the same seed it would
    # ask exactly the run's first questions, and a response cache would answer them all.
    for duration, seed in ((2, "1"), (seconds, "2")):
        figures = wrk(
            base,
            connections=case.connections,
            seconds=duration,
            script=SCRIPT,
            script_args=[str(paths_file), draw, str(ZIPF_S), seed],
        )
    return figures


def read_through(path: Path) -> None:
    """Read the whole file once, so that every server finds it in the page cache. These
    virtual machines page out memory untouched for a minute (DAMON's `pageout`): a broad
    filter drawn uniformly then read its pages from disk, 1-3 requests a second for aigap
    and Datasette alike, a measure of the disk, not of either server."""
    with path.open("rb") as file:
        while file.read(1 << 24):
            pass


def check_same_answers(aigap_base: str, datasette_base: str, pairs: Sequence[Pair]) -> int:
    """Every pair: both 200, the same total and the same page length. Returns the count."""
    for ours, theirs in pairs:
        mine = httpx.get(aigap_base + ours, timeout=60)
        other = httpx.get(datasette_base + theirs, timeout=60)
        mine.raise_for_status()
        other.raise_for_status()
        page, total = mine.json(), mine.json()["total"]
        other_json = other.json()
        assert total == other_json["filtered_table_rows_count"], f"counts differ: {ours}"
        assert len(page["items"]) == len(other_json["rows"]), f"page lengths differ: {ours}"
        assert len(page["items"]) == min(PAGE_SIZE, total - (page["page"] - 1) * PAGE_SIZE)
    return len(pairs)


def cold_start(args: list[str], env: dict[str, str] | None, port: int, path: str) -> float:
    """Seconds from spawning the server to its first 200 on `path`."""
    began = time.perf_counter()
    with serving(args, port, path, env, poll=0.01):
        return time.perf_counter() - began


def _ratio(rps: float, baseline: float) -> str:
    return f"{rps / baseline:.2f}" if baseline else "n/a (Datasette: 0)"


def _median_ratio(runs: list[tuple[float, float]]) -> str:
    """The median of the rounds' ratios, then each round's."""
    ratios = [rps / baseline for rps, baseline in runs if baseline]
    if not ratios:
        return "n/a"
    return f"{statistics.median(ratios):.2f} ({' '.join(f'{r:.2f}' for r in ratios)})"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pairs", type=int, default=2000, help="distinct questions per filter")
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/aigap-bench"))
    parser.add_argument("--check", type=int, default=40, help="pairs checked per filter")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"load at start: {_load()}", flush=True)
    binary = datasette_binary(args.data)
    path = database_file(args.data, args.rows)
    with sqlite3.connect(path) as connection:  # the longest Chinese series, as observation_list
        (indicator,) = connection.execute(
            "SELECT indicator_key FROM observations WHERE country = 'CN' AND valid_to IS NULL "
            "GROUP BY indicator_key ORDER BY count(*) DESC, indicator_key LIMIT 1"
        ).fetchone()
    singles = scenarios(indicator)
    pairs = questions(path, args.pairs)
    files: dict[tuple[str, str], Path] = {}
    for name, listed in pairs.items():
        assert len(set(listed)) == len(listed) == args.pairs
        for side, index in (("aigap", 0), ("Datasette", 1)):
            files[(name, side)] = args.data / f"varied-{name.replace(' ', '-')}-{side}.txt"
            files[(name, side)].write_text("".join(pair[index] + "\n" for pair in listed))
    servers = [DATASETTE, *AIGAP_SERVERS]
    if args.no_postgresql:
        servers = [s for s in servers if s.database == "SQLite"]
    cases = [Case(f, d, args.connections) for f in FILTERS for d in DRAWS]
    cases.append(Case("one series", "uniform", 1))
    with ExitStack() as stack:
        urls = {"SQLite": f"sqlite:///{path}"}
        if not args.no_postgresql:
            urls["PostgreSQL"] = stack.enter_context(throwaway_database("postgresql"))
            began = time.perf_counter()
            counts = build_postgresql(urls["PostgreSQL"], rows=args.rows)
            print(f"PostgreSQL: {counts} in {time.perf_counter() - began:.0f} s", flush=True)

        # The same answers: both filters' single URL and a sample of the generated pairs.
        rng = random.Random(1)
        sample = {
            name: rng.sample(listed, min(args.check, len(listed))) for name, listed in pairs.items()
        }
        with started(DATASETTE, urls, binary, path) as (theirs, _):
            for database in urls:
                with started(Server("aigap", database, 1), urls, binary, path) as (ours, _):
                    for name in FILTERS:
                        checked = check_same_answers(ours, theirs, [singles[name], *sample[name]])
                        print(f"same answers, {database}, {name}: {checked} pairs", flush=True)

        # Cold start: spawn to the first 200 on the one-series list URL, alternating. The
        # app's bytecode is compiled first, as pip does for Datasette and the Dockerfile for
        # aigap: with PYTHONDONTWRITEBYTECODE set, each start would compile it again.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "api")], check=True)
        starts: dict[str, list[float]] = defaultdict(list)
        aigap_binary = str(Path(sys.executable).parent / "aigap")
        for _ in range(3):
            port = free_port()
            starts["Datasette"].append(
                cold_start(
                    datasette_args(binary, path, port, immutable=False),
                    None,
                    port,
                    singles["one series"][1],
                )
            )
            for database, url in urls.items():
                port = free_port()
                starts[f"aigap serve, {database}"].append(
                    cold_start(
                        aigap_serve(port, 1, aigap_binary),
                        aigap_env(url),
                        port,
                        singles["one series"][0],
                    )
                )

        results: list[tuple[int, Case, Server, dict[str, float]]] = []
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}: load {_load()}", flush=True)
            order = servers if round_number % 2 else [*servers[1:], servers[0]]
            for case in cases:
                for server in order:
                    side = "Datasette" if server.is_datasette else "aigap"
                    single = singles[case.filter][1 if server.is_datasette else 0]
                    if server.database == "SQLite":
                        read_through(path)
                    with started(server, urls, binary, path) as (base, process):
                        figures = run_case(
                            base, case, single, files[(case.filter, side)], args.seconds
                        )
                        figures["rss"] = rss_mib(process.pid, children=server.workers > 1)
                    results.append((round_number, case, server, figures))
                    print(
                        f"  {case.filter}, {case.draw}, c{case.connections}: {server.label} "
                        f"{server.database} w{server.workers}: {figures['rps']:.0f} rps, "
                        f"p99 {figures['p99']:.1f} ms",
                        flush=True,
                    )
        print(f"load at end: {_load()}")

    baseline = {(r, c): f["rps"] for r, c, s, f in results if s.is_datasette}
    rows = []
    for round_number, case, server, figures in results:
        ratio = _ratio(figures["rps"], baseline[(round_number, case)])
        rows.append(
            [
                case.filter,
                case.draw,
                case.connections,
                round_number,
                server.label,
                server.database,
                server.workers,
                f"{figures['rps']:,.0f}",
                f"{figures['p50']:.1f}",
                f"{figures['p99']:.1f}",
                ratio,
                f"{figures['rss']:.0f}",
                int(figures["errors"] + figures["timeouts"]),
            ]
        )
    zipf = zipf_cdf(args.pairs)
    print(
        f"\n{args.rows:,} observations, page size {PAGE_SIZE}; {args.pairs:,} distinct questions "
        f"per filter (Zipf s={ZIPF_S}: the top question draws {zipf[0]:.0%} of requests, the "
        f"top 100 {zipf[99]:.0%}); wrk -t2 -d{args.seconds}s after a 2 s warm-up, fresh "
        f"servers; Datasette {DATASETTE_VERSION}; {os.cpu_count()} CPUs"
    )
    header = ["filter", "draw", "conns", "round", "server", "database", "workers", "rps"]
    header += ["p50 ms", "p99 ms", "vs Datasette", "RSS MiB", "errors"]
    print(table(header, rows))
    print("\nmedian over rounds (vs Datasette: the median of the rounds' ratios, then each)")
    summary = []
    for case in cases:
        for server in servers:
            runs = [(r, f) for r, c, s, f in results if c == case and s == server]
            summary.append(
                [
                    case.filter,
                    case.draw,
                    case.connections,
                    server.label,
                    server.database,
                    server.workers,
                    f"{statistics.median(f['rps'] for _, f in runs):,.0f}",
                    f"{statistics.median(f['p50'] for _, f in runs):.1f}",
                    f"{statistics.median(f['p99'] for _, f in runs):.1f}",
                    _median_ratio([(f["rps"], baseline[(r, case)]) for r, f in runs]),
                    f"{statistics.median(f['rss'] for _, f in runs):.0f}",
                ]
            )
    header = ["filter", "draw", "conns", "server", "database", "workers", "rps", "p50 ms"]
    print(table([*header, "p99 ms", "vs Datasette (rounds)", "RSS MiB"], summary))
    print("\ncold start: spawn to the first 200 on the one-series list URL, median of 3")
    print(
        table(
            ["server", "median s", "runs s"],
            [
                [name, f"{statistics.median(runs):.2f}", " ".join(f"{x:.2f}" for x in runs)]
                for name, runs in starts.items()
            ],
        )
    )
    for name in FILTERS:
        ours, theirs = pairs[name][0]
        print(f"{name}, e.g.: aigap {ours}\n{' ' * len(name)}        Datasette {theirs}")


if __name__ == "__main__":
    main()
