"""Which server worker process answered: found from the operating system, not the product.

A client pinned to one keep-alive connection talks to one worker for as long as the
connection lives. The worker is the server's child process whose file descriptors hold the
server side of that connection: the /proc/net/tcp entry from the server's port to the
client's port names the socket's inode, and /proc/<pid>/fd links to `socket:[inode]`.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.live import LiveServer, local_client

TCP_LISTEN = "0A"

# A pinned client's connection must outlive the pauses of a test on a loaded machine: a
# connection the server closed as idle is silently reopened, perhaps to another worker.
KEPT_ALIVE = {"AIGAP_KEEP_ALIVE_TIMEOUT": "600"}


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            # The command name, in parentheses, may hold spaces: split after it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _port(address: str) -> int:
    return int(address.rsplit(":", 1)[1], 16)


def _socket_inodes(
    local_port: int, *, remote_port: int | None = None, state: str | None = None
) -> set[str]:
    """Inodes of IPv4 TCP sockets bound to local_port (and to remote_port, in state)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if _port(fields[1]) != local_port:
            continue
        if remote_port is not None and _port(fields[2]) != remote_port:
            continue
        if state is not None and fields[3] != state:
            continue
        inodes.add(fields[9])
    return inodes


def _holds(pid: int, inodes: set[str]) -> bool:
    links = {f"socket:[{inode}]" for inode in inodes}
    with suppress(OSError):  # the process may be gone
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(OSError):
                if os.readlink(fd) in links:
                    return True
    return False


def _server_port(server: LiveServer) -> int:
    return int(server.base.rsplit(":", 1)[1])


def worker_pids(server: LiveServer) -> set[int]:
    """The server's children that hold its listening socket (not e.g. a resource tracker)."""
    listening = _socket_inodes(_server_port(server), state=TCP_LISTEN)
    return {pid for pid in _children(server.process.pid) if _holds(pid, listening)}


def answered_by(server: LiveServer, response: httpx.Response) -> int:
    """The pid of the worker that holds the server side of the response's connection."""
    client_port = int(response.extensions["network_stream"].get_extra_info("client_addr")[1])
    inodes = _socket_inodes(_server_port(server), remote_port=client_port)
    assert inodes, f"no server socket for client port {client_port}"
    owners = [pid for pid in _children(server.process.pid) if _holds(pid, inodes)]
    assert len(owners) == 1, f"client port {client_port} is held by {owners}"
    return owners[0]


@dataclass
class WorkerClient:
    """A client on one keep-alive connection, and the worker at the other end of it."""

    server: LiveServer
    client: httpx.Client
    pid: int

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        pid = answered_by(self.server, response)
        assert pid == self.pid, f"{method} {path} was answered by {pid}, not {self.pid}"
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def pinned_client(base: str, timeout: float = 30) -> httpx.Client:
    """A client that reuses one connection for every request."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=60)
    return local_client(base_url=base, limits=limits, timeout=timeout)


@contextmanager
def one_client_per_worker(
    server: LiveServer, workers: int, within: float = 120
) -> Iterator[list[WorkerClient]]:
    """A pinned client on each of the server's `workers` workers, ordered by pid.

    New connections are opened until every worker has accepted one: the kernel hands each
    to whichever worker accepts first. The server is ready as soon as one worker is, and
    uvicorn replaces a worker that does not answer its health check within 5 s, which a
    worker still importing the app may not on a busy machine; so this waits until the
    workers are the ones that answered (a worker serving requests answers health checks).
    Meanwhile the chosen clients are kept busy, as the server closes a connection idle
    for 5 s.
    """
    chosen: dict[int, WorkerClient] = {}

    def place(client: httpx.Client) -> None:
        response = client.get("/healthz")
        assert response.status_code == 200, response.text
        pid = answered_by(server, response)
        if pid in chosen:
            client.close()
        else:
            chosen[pid] = WorkerClient(server, client, pid)

    try:
        deadline = time.monotonic() + within
        while True:
            current = worker_pids(server)
            for pid, worker in list(chosen.items()):
                del chosen[pid]
                if pid in current:
                    place(worker.client)  # on a new connection it may move to another worker
                else:
                    worker.client.close()  # replaced: its connection is gone
            if len(current) == workers and current == set(chosen):
                break
            assert time.monotonic() < deadline, (
                f"after {within} s the clients reached {sorted(chosen)} of workers "
                f"{sorted(current)}, expected {workers}"
            )
            place(pinned_client(server.base))
            time.sleep(0.05)
        yield [chosen[pid] for pid in sorted(chosen)]
    finally:
        for worker in chosen.values():
            worker.client.close()
