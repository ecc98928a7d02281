"""A bounded mixed read/write soak against a real `aigap serve` process: errors, latency, memory.

Readers (asyncio, --readers at once) hit a realistic mix of lists with filters, CSV exports,
details, revisions, the computed endpoints, the change feed and conditional GETs; two
writers each make about one write a second: PUT with If-Match on a few shared observations
(retried on 412), now and then a POST of a new observation and a small CSV import. Every
10 s the RSS of the server's master and each worker is read from /proc. At the end: a table
per endpoint group, the memory growth after the warm-up, and a consistency check (every
successful write is in /revisions and in the change feed, and the feed holds nothing else
but what writes answered `commit-in-doubt` may have made).

Exits non-zero on any 5xx, transport error, consistency failure, or a worker replaced
during the soak (uvicorn replaces a worker that misses its health ping within
AIGAP_WORKER_START_TIMEOUT; one replaced while the server starts is reported, not failed).
`--log-level info` also logs every request and uvicorn's own notes of the workers it
replaced; `--keep-log FILE` keeps the server's log.

    python -m bench.soak [--seconds 600] [--database postgresql|sqlite] [--workers 2]
                         [--readers 16] [--warmup 30] [--log-level warning|info]
"""

import argparse
import asyncio
import contextlib
import heapq
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from api.errors import PROBLEM_JSON as PROBLEM
from bench.common import ROOT, aigap, free_port, table, throwaway_database
from tests.live import stop

SAMPLE_SECONDS = 10.0
WRITERS = 2
WRITE_INTERVAL = 1.0  # seconds between a writer's writes
PUT_TARGETS = 3  # observations both writers revise, so that some PUTs meet a 412
MAX_ATTEMPTS = 20  # GET + PUT rounds before a write that keeps meeting 412 gives up
EXAMPLES = 5  # examples kept of each kind of failure
TIMEOUT = 30.0
# uvicorn closes a connection idle for 5 s (timeout_keep_alive). A client that keeps idle
# connections as long (httpx's default) sometimes sends on one the server is just closing,
# and gets "Server disconnected without sending a response": drop them well before that.
KEEPALIVE_EXPIRY = 2.0
# uvicorn's supervisor kills a worker that does not answer its ping within 5 s and starts
# another; on a busy machine that happens to workers still importing the app. The load
# starts once the set of workers has not changed for this long.
STABLE_SECONDS = 10.0
# Each reader opens a new connection after this many requests, so that the readers'
# connections spread over the workers (the kernel hands each to one worker for good).
RECONNECT_EVERY = 100
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
OBSERVATION_FIELDS = (
    "key",
    "indicator_key",
    "country",
    "period",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "status",
    "source_key",
    "source_location",
    "cited_source",
    "note",
)


# --- statistics --------------------------------------------------------------------------


@dataclass
class Group:
    """One endpoint group: status counts and latencies (ms)."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    transport: int = 0
    unexpected_4xx: int = 0
    expected_412: int = 0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.transport

    def count_class(self, low: int) -> int:
        return sum(n for code, n in self.statuses.items() if low <= code < low + 100)


@dataclass
class Stats:
    groups: dict[str, Group] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # a heap of (ms, what)
    started: float = field(default_factory=time.perf_counter)

    def group(self, name: str) -> Group:
        return self.groups.setdefault(name, Group())

    def record(
        self,
        name: str,
        method: str,
        url: str,
        started: float,
        response: httpx.Response | None,
        *,
        expected: tuple[int, ...] = (200, 304),
        error: BaseException | None = None,
    ) -> None:
        group = self.group(name)
        if response is None:
            group.transport += 1
            if len(self.transport_errors) < EXAMPLES:
                self.transport_errors.append(f"{method} {url}: {type(error).__name__}: {error}")
            return
        ms = (time.perf_counter() - started) * 1000
        group.latencies.append(ms)
        code = response.status_code
        what = f"{method} {url} -> {code} at {started - self.started:.0f} s"
        if len(self.slowest) < EXAMPLES:
            heapq.heappush(self.slowest, (ms, what))
        elif ms > self.slowest[0][0]:
            heapq.heapreplace(self.slowest, (ms, what))
        group.statuses[code] += 1
        if code >= 500:
            if len(self.server_errors) < EXAMPLES:
                detail = response.text[:300].replace("\n", " ")
                self.server_errors.append(f"{method} {url} -> {code}: {detail}")
        elif code == 412 and method == "PUT":
            group.expected_412 += 1
        elif code not in expected and code >= 400:
            group.unexpected_4xx += 1
            if len(self.unexpected) < EXAMPLES:
                detail = response.text[:300].replace("\n", " ")
                self.unexpected.append(f"{method} {url} -> {code}: {detail}")

    def totals(self) -> tuple[int, int, int, int]:
        """(requests, 5xx, transport errors, unexpected 4xx) over every group."""
        groups = self.groups.values()
        return (
            sum(g.requests for g in groups),
            sum(g.count_class(500) for g in groups),
            sum(g.transport for g in groups),
            sum(g.unexpected_4xx for g in groups),
        )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# --- the server process and its memory ---------------------------------------------------


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    metrics_dir: Path
    startup_restarts: list[str]


@contextlib.contextmanager
def serve(database_url: str, workers: int, scratch: Path, log_level: str) -> Iterator[Server]:
    """`python -m api.cli serve --workers N` in its own process group; stopped on exit."""
    port = free_port()
    metrics_dir = scratch / "metrics"
    metrics_dir.mkdir()
    log = scratch / "server.log"
    env = {
        **os.environ,
        "AIGAP_DATABASE_URL": database_url,
        "AIGAP_LOG_LEVEL": log_level,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        watcher = Memory(process.pid)
        stable_since = started
        while True:
            now = time.monotonic()
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()}")
            if now - started > 180:
                raise RuntimeError(f"the server did not become ready:\n{log.read_text()}")
            before = len(watcher.restarts), set(watcher.workers)
            watcher.watch(now - started)
            if (len(watcher.restarts), watcher.workers) != before:
                stable_since = now
            try:
                ready = httpx.get(base + "/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                ready = False
            if ready and len(watcher.workers) == workers and now - stable_since >= STABLE_SECONDS:
                break
            time.sleep(0.2)
        yield Server(base, process, log, metrics_dir, watcher.restarts)
    finally:
        stop(process, 30)


def group_processes(pgid: int) -> dict[int, str]:
    """pid -> role (master, worker, tracker, other) of every process in the group."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state, ppid, pgrp, ...
        if int(fields[2]) != pgid:
            continue
        pid = int(entry.name)
        if pid == pgid:
            found[pid] = "master"
        elif "spawn_main" in cmdline:
            found[pid] = "worker"
        elif "resource_tracker" in cmdline:
            found[pid] = "tracker"
        else:
            found[pid] = "other"
    return found


def worker_pids(pgid: int) -> list[int]:
    return sorted(pid for pid, role in group_processes(pgid).items() if role == "worker")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@dataclass
class Memory:
    """RSS samples (kB) of every process in the server's group, by pid."""

    pgid: int
    samples: list[tuple[float, dict[int, int]]] = field(default_factory=list)
    cpu: list[dict[int, float]] = field(default_factory=list)  # CPU seconds, per sample
    client_cpu: list[float] = field(default_factory=list)  # this process's, per sample
    roles: dict[int, str] = field(default_factory=dict)
    workers: set[int] = field(default_factory=set)
    restarts: list[str] = field(default_factory=list)

    def watch(self, elapsed: float) -> None:
        """Note every worker that is gone (uvicorn replaced it, or it died)."""
        now = set(worker_pids(self.pgid))
        gone = sorted(self.workers - now)
        if gone:
            new = sorted(now - self.workers)
            self.restarts.append(f"at {elapsed:.0f} s: worker(s) {gone} gone, {new} new")
        self.workers = now

    def sample(self, elapsed: float) -> None:
        roles = group_processes(self.pgid)
        self.roles.update(roles)
        sizes = {pid: size for pid in roles if (size := rss_kb(pid)) is not None}
        self.samples.append((elapsed, sizes))
        self.cpu.append({pid: cpu for pid in roles if (cpu := cpu_seconds(pid)) is not None})
        times = os.times()
        self.client_cpu.append(times.user + times.system)


# --- the load ---------------------------------------------------------------------------


@dataclass
class Fixture:
    """What the load needs to know about the seeded data."""

    observations: list[str]
    indicators: list[str]
    funding: list[str]
    targets: dict[str, dict[str, Any]]  # PUT targets: key -> writable body
    new_indicator: str  # indicator of the observations the writers create
    cursor: int  # change-feed cursor before the load


@dataclass(frozen=True)
class Written:
    """One successful PUT or POST: the revision it made."""

    method: str
    key: str
    revision: int
    value: float
    writer: str


@dataclass
class Writes:
    """Successful writes: the PUTs and POSTs, and each imported row (key, value, writer)."""

    records: list[Written] = field(default_factory=list)
    imported: list[tuple[str, float, str]] = field(default_factory=list)
    imports: int = 0
    changes: int = 0  # change-feed rows the successful writes should have made
    retries_412: int = 0
    gave_up: int = 0
    unknown: int = 0  # writes whose outcome is unknown (transport error, 5xx)
    in_doubt: int = 0  # change-feed rows that writes answered `commit-in-doubt` may have made

    def failed(self, response: httpx.Response | None, rows: int) -> bool:
        """Whether a write got no success; one whose COMMIT went unanswered may have made
        its `rows` change-feed rows all the same."""
        if response is None or response.status_code >= 500:
            self.unknown += 1
            if response is not None and response.headers.get("content-type") == PROBLEM:
                if response.json()["type"].endswith("/commit-in-doubt"):
                    self.in_doubt += rows
            return True
        return False


def discover(base: str) -> Fixture:
    def keys(path: str) -> list[dict[str, Any]]:
        response = httpx.get(base + path, params={"limit": 1000}, timeout=TIMEOUT)
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    observations = keys("/v1/observations")
    indicators = keys("/v1/indicators")
    funding = keys("/v1/funding/records")
    writable = [
        o
        for o in observations
        if o["period"] and o["value_max"] is None and o["qualifier"] != "between"
    ]
    preferred = ["ai-accelerators-us-2025", "ai-accelerators-cn-2025"]
    ordered = sorted(writable, key=lambda o: (o["key"] not in preferred, o["key"]))
    targets = {
        o["key"]: {name: o[name] for name in OBSERVATION_FIELDS} for o in ordered[:PUT_TARGETS]
    }
    quiet = sorted(i["key"] for i in indicators if not i["headline"])
    return Fixture(
        observations=[o["key"] for o in observations],
        indicators=[i["key"] for i in indicators],
        funding=[f["key"] for f in funding],
        targets=targets,
        new_indicator=quiet[0] if quiet else indicators[0]["key"],
        cursor=_last_change_id(base),
    )


def _last_change_id(base: str) -> int:
    since = 0
    while True:
        page = httpx.get(
            base + "/v1/changes", params={"since": since, "limit": 1000}, timeout=TIMEOUT
        ).json()
        since = int(page["next_cursor"])
        if not page["has_more"]:
            return since


class Load:
    def __init__(self, base: str, fixture: Fixture, keys: list[str], seed: int) -> None:
        self.base = base
        self.fixture = fixture
        self.keys = keys
        self.stats = Stats()
        self.writes = Writes()
        self.random = random.Random(seed)
        self.etags: dict[str, str] = {}  # url -> last ETag, for conditional GETs
        self.cursor = fixture.cursor  # a recent change id, for /v1/changes?since=
        self.stop = asyncio.Event()
        self.tag = f"{seed % 10_000:04d}"

    # ---- readers

    def pick(self) -> tuple[str, str, tuple[int, ...]]:
        """(group, url, expected statuses) of the next read."""
        r, f = self.random, self.fixture
        roll = r.random() * 100
        if roll < 14:
            url = r.choice(
                [
                    "/v1/observations?country=CN&limit=50",
                    "/v1/observations?country=US&limit=50",
                    f"/v1/observations?indicator={r.choice(f.indicators)}",
                    "/v1/observations?pillar=compute&sort=-period_end&limit=100",
                    "/v1/observations?status=projected&limit=20&page=2",
                    "/v1/observations?country=US,CN&mrv=1",
                ]
            )
            return "list: observations", url, (200,)
        if roll < 20:
            url = r.choice(
                [
                    "/v1/indicators",
                    "/v1/indicators?pillar=talent",
                    "/v1/compute/observations?limit=100",
                    "/v1/models/arena-scores?limit=100&sort=-month",
                ]
            )
            return "list: indicators etc.", url, (200,)
        if roll < 27:
            url = r.choice(
                [
                    "/v1/funding/records?country=US",
                    "/v1/funding/records?level=subnational",
                    "/v1/funding/totals",
                    "/v1/funding/totals?group_by=country,level&annualize=true",
                ]
            )
            return "funding", url, (200,)
        if roll < 31:
            url = r.choice(
                [
                    "/v1/observations?format=csv&limit=1000",
                    "/v1/funding/records?format=csv&limit=1000",
                    "/v1/models/arena-scores?format=csv&limit=1000",
                ]
            )
            return "csv export", url, (200,)
        if roll < 49:
            choice = r.random()
            if choice < 0.55:
                url = f"/v1/observations/{r.choice(f.observations)}"
            elif choice < 0.75:
                url = f"/v1/observations/{r.choice(list(f.targets))}"
            elif choice < 0.9:
                url = f"/v1/indicators/{r.choice(f.indicators)}"
            else:
                url = f"/v1/funding/records/{r.choice(f.funding)}"
            return "detail", url, (200,)
        if roll < 53:
            return "revisions", f"/v1/observations/{r.choice(list(f.targets))}/revisions", (200,)
        if roll < 60:
            return "lag/current", "/v1/models/lag/current", (200,)
        if roll < 67:
            url = r.choice(["/v1/scorecard", "/v1/scorecard/compute"])
            return "scorecard", url, (200,)
        if roll < 75:
            since = max(0, self.cursor - r.randint(0, 50))
            return "changes", f"/v1/changes?since={since}", (200,)
        if self.etags:
            return "conditional GET", r.choice(list(self.etags)), (200, 304)
        return "lag/current", "/v1/models/lag/current", (200,)

    async def reader(self) -> None:
        """One client on one connection at a time, a new one every RECONNECT_EVERY requests."""
        one = httpx.Limits(max_connections=1, keepalive_expiry=KEEPALIVE_EXPIRY)
        while not self.stop.is_set():
            async with httpx.AsyncClient(base_url=self.base, timeout=TIMEOUT, limits=one) as client:
                for _ in range(RECONNECT_EVERY):
                    if self.stop.is_set():
                        break
                    await self.read(client)

    async def read(self, client: httpx.AsyncClient) -> None:
        group, url, expected = self.pick()
        headers = {}
        if group == "conditional GET":
            headers["If-None-Match"] = self.etags[url]
        started = time.perf_counter()
        try:
            response = await client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            self.stats.record(group, "GET", url, started, None, error=exc)
            return
        self.stats.record(group, "GET", url, started, response, expected=expected)
        etag = response.headers.get("etag")
        if response.status_code == 200 and etag and group != "changes":
            self.etags[url] = etag  # a bounded set: the change feed's cursors are not
        if group == "changes" and response.status_code == 200:
            self.cursor = max(self.cursor, int(response.json()["next_cursor"]))

    # ---- writers

    async def writer(self, index: int, client: httpx.AsyncClient) -> None:
        name = f"soak-writer-{index}"
        auth = {"Authorization": f"Bearer {self.keys[index - 1]}"}
        started = time.monotonic()
        n = 0
        while not self.stop.is_set():
            n += 1
            if n % 30 == 0:
                await self.import_csv(client, auth, name, index, n)
            elif n % 10 == 0:
                await self.create(client, auth, name, index, n)
            else:
                await self.revise(client, auth, name, index, n)
            delay = started + n * WRITE_INTERVAL - time.monotonic()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), delay)

    async def request(
        self,
        client: httpx.AsyncClient,
        group: str,
        method: str,
        url: str,
        expected: tuple[int, ...],
        **kwargs: Any,
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.stats.record(group, method, url, started, None, error=exc)
            return None
        self.stats.record(group, method, url, started, response, expected=expected)
        return response

    async def revise(
        self, client: httpx.AsyncClient, auth: dict[str, str], name: str, index: int, n: int
    ) -> None:
        key = self.random.choice(list(self.fixture.targets))
        url = f"/v1/observations/{key}"
        body = dict(self.fixture.targets[key])
        body["value"] = float(body["value"]) + n * WRITERS + index  # unique per write
        for _ in range(MAX_ATTEMPTS):
            current = await self.request(client, "write: GET for ETag", "GET", url, (200,))
            if current is None or current.status_code != 200:
                return
            await asyncio.sleep(self.random.uniform(0, 0.05))  # room for the other writer
            headers = {**auth, "If-Match": current.headers["etag"]}
            response = await self.request(
                client, "write: PUT", "PUT", url, (200,), json=body, headers=headers
            )
            if self.writes.failed(response, 1):
                return
            assert response is not None
            if response.status_code == 412:
                self.writes.retries_412 += 1
                continue
            if response.status_code == 200:
                revision = int(response.json()["revision"])
                self.writes.records.append(Written("PUT", key, revision, body["value"], name))
                self.writes.changes += 1
            return
        self.writes.gave_up += 1

    async def create(
        self, client: httpx.AsyncClient, auth: dict[str, str], name: str, index: int, n: int
    ) -> None:
        key = f"soak-{self.tag}-w{index}-{n}"
        body = {
            "key": key,
            "indicator_key": self.fixture.new_indicator,
            "country": "CN" if n % 20 else "US",
            "period": str(2030 + n % 20),
            "value": float(n),
            "status": "projected",
            "source_key": "insikt-2025-us-china-ai-gap",
            "source_location": "bench.soak",
        }
        response = await self.request(
            client, "write: POST", "POST", "/v1/observations", (201,), json=body, headers=auth
        )
        if self.writes.failed(response, 1):
            return
        assert response is not None
        if response.status_code == 201:
            revision = int(response.json()["revision"])
            self.writes.records.append(Written("POST", key, revision, float(n), name))
            self.writes.changes += 1

    async def import_csv(
        self, client: httpx.AsyncClient, auth: dict[str, str], name: str, index: int, n: int
    ) -> None:
        rows = [
            (f"soak-{self.tag}-w{index}-import-{j}", float(n * 10 + j), str(2040 + j))
            for j in range(3)
        ]
        lines = ["key,indicator_key,country,period,value,status,source_location"]
        lines += [
            f"{key},{self.fixture.new_indicator},US,{period},{value},projected,bench.soak import"
            for key, value, period in rows
        ]
        response = await self.request(
            client,
            "write: import",
            "POST",
            "/v1/observations/import",
            (200,),
            content=("\n".join(lines) + "\n").encode(),
            headers={**auth, "Content-Type": "text/csv"},
        )
        if self.writes.failed(response, len(rows)):
            return
        assert response is not None
        if response.status_code == 200:
            report = response.json()
            self.writes.changes += int(report["created"]) + int(report["revised"])
            self.writes.imports += 1
            self.writes.imported += [(key, value, name) for key, value, _ in rows]

    # ---- the whole run

    async def run(self, seconds: float, readers: int, memory: Memory, warmup: float) -> float:
        one = httpx.Limits(max_connections=2, keepalive_expiry=KEEPALIVE_EXPIRY)
        async with (
            httpx.AsyncClient(base_url=self.base, timeout=TIMEOUT, limits=one) as writes_1,
            httpx.AsyncClient(base_url=self.base, timeout=TIMEOUT, limits=one) as writes_2,
        ):
            started = time.monotonic()
            self.stats.started = time.perf_counter()
            tasks = [asyncio.create_task(self.reader()) for _ in range(readers)]
            tasks += [
                asyncio.create_task(self.writer(i, client))
                for i, client in enumerate((writes_1, writes_2), start=1)
            ]
            next_sample = 0.0
            try:
                while (elapsed := time.monotonic() - started) < seconds:
                    memory.watch(elapsed)
                    if elapsed >= next_sample:
                        memory.sample(elapsed)
                        progress(elapsed, seconds, self.stats, warmup)
                        next_sample += SAMPLE_SECONDS
                    await asyncio.sleep(min(1.0, seconds - elapsed))
                self.stop.set()
                await asyncio.wait_for(asyncio.gather(*tasks), TIMEOUT + 10)
            finally:
                for task in tasks:
                    task.cancel()
            duration = time.monotonic() - started
            memory.watch(duration)
            memory.sample(duration)
            return duration


def progress(elapsed: float, seconds: float, stats: Stats, warmup: float) -> None:
    requests, server_errors, transport, unexpected = stats.totals()
    phase = "warm-up" if elapsed < warmup else "soak"
    print(
        f"  [{elapsed:5.0f}/{seconds:.0f} s, {phase}] {requests} requests, "
        f"{server_errors} 5xx, {transport} transport, {unexpected} unexpected 4xx",
        file=sys.stderr,
        flush=True,
    )


# --- after the load ----------------------------------------------------------------------


def check(base: str, fixture: Fixture, writes: Writes, names: set[str]) -> tuple[int, list[str]]:
    """(change-feed rows written during the load, consistency failures)."""
    failures: list[str] = []
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        feed: list[dict[str, Any]] = []
        since = fixture.cursor
        while True:
            page = client.get("/v1/changes", params={"since": since, "limit": 1000}).json()
            feed += page["items"]
            since = int(page["next_cursor"])
            if not page["has_more"]:
                break
        if not writes.changes <= len(feed) <= writes.changes + writes.in_doubt:
            failures.append(
                f"change feed has {len(feed)} rows since the load began; the successful "
                f"writes made {writes.changes}, and writes in doubt may have made "
                f"{writes.in_doubt} more"
            )
        strangers = [c for c in feed if c["changed_by"] not in names]
        if strangers:
            failures.append(f"{len(strangers)} change(s) by someone else, e.g. {strangers[0]}")
        ids = [int(c["id"]) for c in feed]
        if ids != sorted(set(ids)):
            failures.append("change ids are not strictly increasing")
        entries = {(c["kind"], c["key"], int(c["revision"])) for c in feed}
        if len(entries) != len(feed):
            failures.append("a (kind, key, revision) appears twice in the change feed")
        for w in writes.records:
            if ("observations", w.key, w.revision) not in entries:
                failures.append(f"{w.key} revision {w.revision} is not in the change feed")
        touched = sorted({w.key for w in writes.records} | {key for key, *_ in writes.imported})
        history: dict[str, list[dict[str, Any]]] = {}
        for key in touched:
            response = client.get(f"/v1/observations/{key}/revisions")
            if response.status_code != 200:
                failures.append(f"/v1/observations/{key}/revisions -> {response.status_code}")
                continue
            history[key] = response.json()
            numbers = [int(r["revision"]) for r in history[key]]
            if numbers != list(range(1, len(numbers) + 1)):
                failures.append(f"{key}: revisions are not 1..n: {numbers}")
        for w in writes.records:
            found = [r for r in history.get(w.key, []) if int(r["revision"]) == w.revision]
            if not found or found[0]["value"] != w.value or found[0]["changed_by"] != w.writer:
                failures.append(
                    f"{w.method} {w.key} revision {w.revision} ({w.value}, by {w.writer}) "
                    "is not in /revisions"
                )
        for key, value, name in writes.imported:
            if not any(
                r["value"] == value and r["changed_by"] == name for r in history.get(key, [])
            ):
                failures.append(f"imported {key} = {value} (by {name}) not in /revisions")
        # Every worker answers with the same data version once the writes have stopped
        # (a new connection each time, so that the answers come from several workers).
        etags = {
            httpx.get(base + "/v1/funding/totals", timeout=TIMEOUT).headers.get("etag")
            for _ in range(20)
        }
        if len(etags) != 1:
            failures.append(f"workers disagree on the data version: {sorted(map(str, etags))}")
    return len(feed), failures


def server_log_problems(log: Path) -> tuple[list[str], list[str]]:
    """(error lines and tracebacks, uvicorn's notes of workers that died: info level only)."""
    lines = log.read_text(errors="replace").splitlines()
    markers = ('"level": "error"', '"level": "critical"', "Traceback")
    errors = [line for line in lines if any(marker in line for marker in markers)]
    return errors, [line for line in lines if "Child process" in line and "died" in line]


def endpoint_table(stats: Stats, duration: float) -> str:
    rows: list[list[object]] = []
    order = sorted(stats.groups, key=lambda name: (name.startswith("write"), name))
    every = Group()
    for name in order:
        g = stats.groups[name]
        every.statuses.update(g.statuses)
        every.latencies += g.latencies
        every.transport += g.transport
        every.unexpected_4xx += g.unexpected_4xx
        every.expected_412 += g.expected_412
        rows.append(_endpoint_row(name, g, duration))
    rows.append(_endpoint_row("**all**", every, duration))
    return table(
        [
            "endpoint group",
            "requests",
            "rps",
            "2xx",
            "304",
            "412 (expected)",
            "unexpected 4xx",
            "5xx",
            "transport",
            "p50 ms",
            "p99 ms",
            "max ms",
        ],
        rows,
    )


def _endpoint_row(name: str, g: Group, duration: float) -> list[object]:
    return [
        name,
        g.requests,
        f"{g.requests / duration:,.1f}",
        g.count_class(200),
        g.statuses[304],
        g.expected_412,
        g.unexpected_4xx,
        g.count_class(500),
        g.transport,
        f"{percentile(g.latencies, 50):.1f}",
        f"{percentile(g.latencies, 99):.1f}",
        f"{max(g.latencies, default=float('nan')):.0f}",
    ]


def memory_table(memory: Memory, warmup: float) -> str:
    """RSS and CPU per process, from the first sample after the warm-up to the end."""
    first = next(
        (i for i, s in enumerate(memory.samples) if s[0] >= warmup), len(memory.samples) - 1
    )
    start, end = memory.samples[first], memory.samples[-1]
    cpu_start, cpu_end = memory.cpu[first], memory.cpu[-1]
    wall = max(end[0] - start[0], 1e-9)
    rows: list[list[object]] = []
    for pid in sorted(start[1], key=lambda p: (memory.roles[p] != "master", memory.roles[p], p)):
        role = memory.roles[pid]
        if role == "other":
            continue
        before = start[1][pid] / 1024
        if pid not in end[1]:
            continue  # replaced: see memory.restarts
        now = end[1][pid] / 1024
        peak = max(s[1].get(pid, 0) for s in memory.samples) / 1024
        cpu = cpu_end.get(pid, 0.0) - cpu_start.get(pid, 0.0)
        rows.append(
            [
                f"{role} {pid}",
                f"{before:.1f}",
                f"{now:.1f}",
                f"{now - before:+.1f}",
                f"{(now - before) / before * 100:+.1f}%",
                f"{peak:.1f}",
                f"{cpu / wall * 100:.0f}%",
            ]
        )
    client = (memory.client_cpu[-1] - memory.client_cpu[first]) / wall * 100
    rows.append(["load generator (this process)", "", "", "", "", "", f"{client:.0f}%"])
    step = max(1, len(memory.samples) // 12)
    points = memory.samples[::step] + ([end] if (len(memory.samples) - 1) % step else [])
    trend = [
        f"{memory.roles[pid]} {pid}: "
        + " ".join(f"{s[1][pid] / 1024:.0f}@{s[0]:.0f}s" for s in points if pid in s[1])
        for pid in sorted(end[1])
        if memory.roles.get(pid) == "worker"
    ]
    header = [
        "process",
        f"RSS MB at {start[0]:.0f} s",
        f"RSS MB at {end[0]:.0f} s",
        "growth MB",
        "growth %",
        "peak MB",
        "CPU (of one core)",
    ]
    text = table(header, rows) + "\n\nRSS MB over time:\n" + "\n".join(f"- {t}" for t in trend)
    return text


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- main --------------------------------------------------------------------------------


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--database", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument(
        "--warmup", type=float, default=30, help="seconds before the memory baseline"
    )
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["warning", "info"],
        help="the server's; info also logs every request and uvicorn's worker restarts",
    )
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here at the end")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(soak(args))
    except KeyboardInterrupt:
        print("interrupted; the server and the database were cleaned up", file=sys.stderr)
        sys.exit(130)


def soak(args: argparse.Namespace) -> int:
    names = [f"soak-writer-{i}" for i in range(1, WRITERS + 1)]
    with (
        tempfile.TemporaryDirectory(prefix="aigap-soak-") as tmp,
        throwaway_database(args.database) as url,
    ):
        print(f"setting up {args.database}: migrate, seed, {WRITERS} write keys", file=sys.stderr)
        aigap(url, "migrate")
        aigap(url, "seed")
        keys = [aigap(url, "keys", "create", "--name", name, "--scope", "write") for name in names]
        with serve(url, args.workers, Path(tmp), args.log_level) as server:
            fixture = discover(server.base)
            load = Load(server.base, fixture, keys, args.seed)
            memory = Memory(server.process.pid, workers=set(worker_pids(server.process.pid)))
            print(
                f"soaking {args.seconds:.0f} s: {args.readers} readers, {WRITERS} writers, "
                f"{args.workers} workers (server pid {server.process.pid})",
                file=sys.stderr,
            )
            duration = asyncio.run(load.run(args.seconds, args.readers, memory, args.warmup))
            load_average = os.getloadavg()
            written, failures = check(server.base, fixture, load.writes, set(names))
            log_problems, log_deaths = server_log_problems(server.log)
            if args.keep_log:
                shutil.copyfile(server.log, args.keep_log)
            metrics_bytes = directory_bytes(server.metrics_dir)
            alive = server.process.poll() is None
            startup_restarts = server.startup_restarts
        memory_text, restarts = memory_table(memory, args.warmup), memory.restarts
    stats, writes = load.stats, load.writes
    requests, server_errors, transport, unexpected = stats.totals()
    if not alive:
        failures.append("the server process died during the soak")
    if writes.unknown:
        failures.append(f"{writes.unknown} write(s) with an unknown outcome")
    print(
        f"database: {args.database}; {args.workers} workers; {args.readers} readers, "
        f"{WRITERS} writers; {duration:.0f} s; seed {args.seed}; {os.cpu_count()} CPUs, "
        "load average at the end {:.1f} / {:.1f} / {:.1f}\n".format(*load_average)
    )
    print(endpoint_table(stats, duration))
    print()
    print(
        table(
            [
                "requests",
                "rps",
                "5xx",
                "transport errors",
                "unexpected 4xx",
                "PUT ok",
                "POST ok",
                "imports ok",
                "412 retries",
                "writes given up",
                "change-feed rows",
                "expected rows",
            ],
            [
                [
                    requests,
                    f"{requests / duration:,.1f}",
                    server_errors,
                    transport,
                    unexpected,
                    sum(1 for w in writes.records if w.method == "PUT"),
                    sum(1 for w in writes.records if w.method == "POST"),
                    writes.imports,
                    writes.retries_412,
                    writes.gave_up,
                    written,
                    writes.changes,
                ]
            ],
        )
    )
    print()
    print(memory_text)
    print(f"\nprometheus multiprocess files: {metrics_bytes / 1024:.0f} kB")
    for title, lines in (
        ("slowest requests", [f"{ms:,.0f} ms: {what}" for ms, what in sorted(stats.slowest)[::-1]]),
        ("5xx examples", stats.server_errors),
        ("transport error examples", stats.transport_errors),
        ("unexpected 4xx examples", stats.unexpected),
        ("server log errors", log_problems[:EXAMPLES]),
        ("server log: workers that died", log_deaths[:EXAMPLES]),
        ("workers replaced during the soak", restarts),
        ("workers replaced while the server started (not a failure)", startup_restarts),
        ("consistency failures", failures[:20]),
    ):
        if lines:
            print(f"\n{title}:")
            for line in lines:
                print(f"- {line}")
    failed = bool(server_errors or transport or failures or restarts)
    print(f"\nconsistency: {'FAILED' if failures else 'ok'}; {len(log_problems)} server log errors")
    print("result: " + ("FAIL" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    main()
