"""Cold start: `aigap serve` spawned to its first 200 on a list URL, this tree beside a
baseline revision.

Each tree's app is byte-compiled first, as a pip install or the Dockerfile leaves it (with
PYTHONDONTWRITEBYTECODE set, as on these machines and in the image, a start would otherwise
compile every module again). Both trees serve the same migrated, seeded database; spawns
alternate between them so the machine's drift hits both; each server is stopped before the
next starts. Also timed: importing `api.main` alone (inside a fresh interpreter, not counting
its start and exit), the part of a start that is the app's own import.

    .venv/bin/python -m bench.cold_start [--baseline HEAD~1] [--spawns 10] [--backend sqlite]
        [--workers 1]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

from bench.common import free_port, table, throwaway_database, tree_at
from tests.live import cli, serving

URL = "/v1/observations?country=CN&limit=50"


def spawn_to_first_200(tree: Path, env: dict[str, str], workers: int) -> float:
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    began = time.perf_counter()
    with serving(command, port, URL, env, cwd=tree, poll=0.01):
        return time.perf_counter() - began


IMPORT = "import time; t = time.perf_counter(); import api.main; print(time.perf_counter() - t)"


def import_seconds(tree: Path, env: dict[str, str]) -> float:
    """Importing the app, timed inside the process (not its interpreter's start or exit)."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT], cwd=tree, env=env, check=True, capture_output=True
    )
    return float(done.stdout)


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.2f} to {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="a git revision to start beside")
    parser.add_argument("--spawns", type=int, default=10, help="starts per tree")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (more: a supervisor starts them)"
    )
    args = parser.parse_args()
    labels = ["this tree", f"baseline {args.baseline}"]
    with ExitStack() as stack:
        trees = {
            labels[0]: stack.enter_context(tree_at(None)),
            labels[1]: stack.enter_context(tree_at(args.baseline)),
        }
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(throwaway_database(args.backend, scratch))
        envs = {}
        for label, tree in trees.items():
            subprocess.run([sys.executable, "-m", "compileall", "-q", "api"], cwd=tree, check=True)
            envs[label] = {
                **os.environ,
                "PYTHONPATH": str(tree),
                "AIGAP_DATABASE_URL": url,
                "AIGAP_LOG_LEVEL": "warning",
            }
        cli(envs[labels[0]], "migrate", cwd=trees[labels[0]], timeout=None)
        cli(envs[labels[0]], "seed", cwd=trees[labels[0]], timeout=None)
        starts: dict[str, list[float]] = defaultdict(list)
        imports: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.spawns):
            for label in labels:
                starts[label].append(spawn_to_first_200(trees[label], envs[label], args.workers))
                imports[label].append(import_seconds(trees[label], envs[label]))
    print(
        f"{args.backend}, {args.workers} worker(s), {args.spawns} alternating spawns per tree,"
        f" load {os.getloadavg()}"
    )
    rows = [[label, _summary(starts[label]), _summary(imports[label])] for label in labels]
    print(table(["tree", "spawn to first 200, s: median (min to max)", "import api.main, s"], rows))


if __name__ == "__main__":
    main()
