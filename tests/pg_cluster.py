"""A private PostgreSQL cluster in a temporary directory, for tests that stop or freeze it.

The shared server on 127.0.0.1:5432 serves every other test, so fault tests never touch it:
they make their own cluster with the installed server binaries, on a free port, and remove
it afterwards whatever happened. initdb refuses to run as root, so as root the cluster is
made and run by the `postgres` OS user.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from api.commit_counter import discard_counter

BIN_GLOB = "/usr/lib/postgresql/*/bin"
OS_USER = "postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, if any."""
    found = sorted(
        (path for path in Path("/").glob(BIN_GLOB.lstrip("/")) if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


class PrivateCluster:
    """One cluster: stop it, start it again on the same port, freeze and thaw it."""

    def __init__(self, bin_dir: Path, root: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.port = port
        self.databases: list[str] = []  # their URLs
        self.frozen: list[int] = []

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OS_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stdout}{result.stderr}{log}"
            )

    def init(self) -> None:
        self._run(
            "initdb",
            *("-D", str(self.data), "-A", "trust", "-U", "postgres"),
            *("-E", "UTF8", "--no-locale", "--no-sync"),
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            *("start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log)),
            *("-o", options),
        )

    def stop(self) -> None:
        """Stop at once, as a crash would: connections are dropped, nothing is flushed."""
        self.thaw()
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "immediate", "-D", str(self.data))

    def running(self) -> bool:
        return self.postmaster_pid() is not None

    def postmaster_pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if Path(f"/proc/{pid}").exists() else None

    def processes(self) -> list[int]:
        """The postmaster and every server process it started."""
        postmaster = self.postmaster_pid()
        if postmaster is None:
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError, IndexError):
                # The command name, in parentheses, may hold spaces: split after it.
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP every server process: TCP still connects, but nothing ever answers."""
        for pid in self.processes():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                self.frozen.append(pid)

    def thaw(self) -> None:
        for pid in self.frozen:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen.clear()

    def remove(self) -> None:
        """Stop the server whatever state it is in; kill it if pg_ctl cannot."""
        self.thaw()
        if not self.running():
            return
        try:
            self.stop()
        except (RuntimeError, subprocess.TimeoutExpired):
            for pid in self.processes():
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", str(self.root), "-p", str(self.port), "-U", "postgres", name)
        self.databases.append(self.url(name))
        return self.url(name)


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A running private cluster on a free port; removed at the end, running or not."""
    bin_dir = server_bin()
    if bin_dir is None:
        raise RuntimeError(f"no PostgreSQL server binaries in {BIN_GLOB}")
    root = Path(tempfile.mkdtemp(prefix="aigap-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(root, OS_USER, OS_USER)
        cluster = PrivateCluster(bin_dir, root, free_port())
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.remove()
            for url in cluster.databases:
                discard_counter(url)
    finally:
        shutil.rmtree(root, ignore_errors=True)
