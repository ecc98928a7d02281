"""Clients that send too much, too slowly or nonsense, on raw sockets to a real server.

Every refusal is a problem+json 4xx (or, for a connection that never said anything, a
close); nothing a client sends makes a 5xx, and a slow upload holds no lock that another
writer waits for.
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.db import engine_for
from tests.conftest import DatabaseFactory
from tests.live import LOCAL, LiveServer, live_server
from tests.writes.helpers import accelerators_us_2025

pytestmark = pytest.mark.long_running(18)

HEADER_TIMEOUT = 1.0
KEEP_ALIVE_TIMEOUT = 3
BODY_TIMEOUT = 2.0
MAX_HEADER_BYTES = 8_192
MAX_QUERY_BYTES = 1_024
MAX_BODY_BYTES = 2_000
LIMITS = {
    "AIGAP_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
    "AIGAP_KEEP_ALIVE_TIMEOUT": str(KEEP_ALIVE_TIMEOUT),
    "AIGAP_BODY_TIMEOUT": str(BODY_TIMEOUT),
    "AIGAP_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
    "AIGAP_MAX_QUERY_BYTES": str(MAX_QUERY_BYTES),
    "AIGAP_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
    "AIGAP_WRITE_RATE_LIMIT": "100000",
    "AIGAP_ADDRESS_RATE_LIMIT": "100000",
}
OBSERVATION = "/v1/observations/ai-accelerators-us-2025"


@pytest.fixture(scope="module")
def server(seeded_database: DatabaseFactory) -> Iterator[LiveServer]:
    with (
        seeded_database() as url,
        live_server(url, workers=1, settings=LIMITS, seeded=True) as running,
    ):
        yield running
        engine_for(url).dispose()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def problem(self) -> dict[str, object]:
        assert self.headers.get("content-type") == "application/problem+json", self
        problem = json.loads(self.body)
        assert problem["status"] == self.status
        assert str(problem["type"]).startswith("https://aigap.dev/problems/")
        assert problem["title"]
        assert problem["detail"]
        return dict(problem)


def _address(server: LiveServer) -> tuple[str, int]:
    host, port = server.base.removeprefix("http://").split(":")
    return host, int(port)


def _connect(server: LiveServer) -> socket.socket:
    sock = socket.create_connection(_address(server), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _read_answer(sock: socket.socket, timeout: float = 10) -> Answer | None:
    """The first response on the socket, or None if it closed without one."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            answer = _parse(data)
            if answer is not None:
                return answer
    except ConnectionResetError:
        pass
    return _parse(data) if data else None


def _parse(data: bytes) -> Answer | None:
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        return None
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    if len(body) < length:
        return None
    return Answer(status, headers, body[:length])


def _exchange(server: LiveServer, raw: bytes, timeout: float = 10) -> Answer | None:
    with _connect(server) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse before it has read everything
        return _read_answer(sock, timeout)


def _request(method: str, target: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def test_a_slow_upload_holds_no_lock_other_writers_wait_for(server: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {server.key}"}
    with _connect(server) as slow:
        head = _request(
            "POST",
            "/v1/observations/import",
            {**auth, "Content-Type": "text/csv", "Content-Length": "1500"},
        )
        slow.sendall(head + b"key,indicator_key,country,period,value\n")  # and no more
        time.sleep(0.3)
        etag = LOCAL.get(server.base + OBSERVATION, timeout=10).headers["etag"]
        started = time.monotonic()
        response = LOCAL.put(
            server.base + OBSERVATION,
            json=accelerators_us_2025(15_500_000),
            headers={**auth, "If-Match": etag},
            timeout=30,
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 200, response.text
        assert elapsed < 1.5, f"a write waited {elapsed:.1f} s behind a slow upload"
        answer = _read_answer(slow, timeout=BODY_TIMEOUT + 5)
    assert answer is not None
    assert answer.status == 408
    assert answer.problem()["title"] == "Request timeout"
    assert answer.headers["connection"] == "close"


def test_a_caller_without_a_key_is_refused_before_its_body_is_read(server: LiveServer) -> None:
    started = time.monotonic()
    with _connect(server) as sock:
        sock.sendall(
            _request(
                "POST",
                "/v1/observations",
                {"Content-Type": "application/json", "Content-Length": "1900"},
            )
        )  # the body never comes: the answer must not wait for it
        answer = _read_answer(sock, timeout=BODY_TIMEOUT + 5)
    assert answer is not None
    assert answer.status == 401
    assert time.monotonic() - started < BODY_TIMEOUT
    answer.problem()


def test_a_chunked_body_over_the_limit_is_a_413(server: LiveServer) -> None:
    body = json.dumps({"note": "x" * (MAX_BODY_BYTES * 2)}).encode()
    chunks = b"".join(
        f"{len(part):x}\r\n".encode() + part + b"\r\n"
        for part in (body[i : i + 500] for i in range(0, len(body), 500))
    )
    raw = _request(
        "POST",
        "/v1/observations",
        {
            "Authorization": f"Bearer {server.key}",
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        chunks + b"0\r\n\r\n",
    )
    answer = _exchange(server, raw)
    assert answer is not None
    assert answer.status == 413
    assert answer.problem()["title"] == "Content too large"


def test_a_huge_header_is_a_431_and_a_huge_request_line_a_414(server: LiveServer) -> None:
    big = _request("GET", "/v1/sources", {"X-Filler": "a" * (MAX_HEADER_BYTES * 4)})
    answer = _exchange(server, big)
    assert answer is not None
    assert answer.status == 431
    answer.problem()
    line = _request("GET", "/v1/sources?q=" + "a" * (MAX_HEADER_BYTES * 2), {})
    answer = _exchange(server, line)
    assert answer is not None
    assert answer.status == 414
    answer.problem()


def test_sixteen_megabytes_of_header_are_refused_without_being_read(server: LiveServer) -> None:
    started = time.monotonic()
    with _connect(server) as sock:
        sock.sendall(b"GET /v1/sources HTTP/1.1\r\nHost: x\r\nX-Filler: ")
        sent = 0
        try:
            while sent < 16_000_000:
                sock.sendall(b"a" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _read_answer(sock, timeout=5)
    assert sent < 16_000_000, "the server kept reading a 16 MB header"
    assert answer is None or answer.status == 431
    assert time.monotonic() - started < 5


def test_a_query_over_the_limit_is_a_414(server: LiveServer) -> None:
    response = LOCAL.get(server.base + "/v1/sources?sort=" + "k" * (MAX_QUERY_BYTES + 1))
    assert response.status_code == 414
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "query", "reason": "too long"}]


def test_link_headers_stay_small_whatever_the_query(server: LiveServer) -> None:
    query = "country=" + ",".join(["US", "CN"] * 100)
    response = LOCAL.get(f"{server.base}/v1/observations?{query}&limit=1", timeout=10)
    assert response.status_code == 200
    link = response.headers["link"]
    assert len(link) < 5 * (MAX_QUERY_BYTES + 100)
    assert "127.0.0.1" not in link  # relative references: the Host header is not echoed


def _an_unfinished_head_is_a_408(sock: socket.socket) -> None:
    """A head without its blank line is answered 408 about AIGAP_HEADER_TIMEOUT later."""
    sock.sendall(b"GET /v1/sources HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    started = time.monotonic()
    answer = _read_answer(sock, timeout=KEEP_ALIVE_TIMEOUT + HEADER_TIMEOUT + 5)
    elapsed = time.monotonic() - started
    assert answer is not None
    assert answer.status == 408
    assert elapsed < HEADER_TIMEOUT + 1
    answer.problem()


def test_a_slow_request_head_is_a_408_and_an_idle_connection_is_closed(
    server: LiveServer,
) -> None:
    with _connect(server) as sock:
        _an_unfinished_head_is_a_408(sock)
    with _connect(server) as idle:
        started = time.monotonic()
        assert _read_answer(idle, timeout=HEADER_TIMEOUT + 5) is None
        assert time.monotonic() - started < HEADER_TIMEOUT + 1


def test_a_kept_alive_connection_lives_its_keep_alive_timeout_not_the_heads(
    server: LiveServer,
) -> None:
    request = b"GET /v1/sources?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(request)
        first = _read_answer(sock)
        assert first is not None
        assert first.status == 200
        time.sleep(HEADER_TIMEOUT + 0.5)  # idle past the head's timeout: still open
        sock.sendall(request)
        second = _read_answer(sock)
        assert second is not None
        assert second.status == 200
        started = time.monotonic()
        assert _read_answer(sock, timeout=KEEP_ALIVE_TIMEOUT + 5) is None  # closed, unanswered
        assert KEEP_ALIVE_TIMEOUT - 1 < time.monotonic() - started < KEEP_ALIVE_TIMEOUT + 2


def test_a_head_begun_late_on_a_kept_alive_connection_has_its_own_deadline(
    server: LiveServer,
) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /v1/sources?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        first = _read_answer(sock)
        assert first is not None
        assert first.status == 200
        time.sleep(HEADER_TIMEOUT + 0.5)  # the first wait for a head lapses, kept alive
        _an_unfinished_head_is_a_408(sock)


def test_pipelined_requests_are_answered_in_order(server: LiveServer) -> None:
    first = b"GET /v1/sources?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    second = b"GET /v1/sources?limit=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(first + second)  # both heads in one read
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    answers = []
    while data:
        answer = _parse(data)
        assert answer is not None, data
        answers.append(answer)
        head_length = data.index(b"\r\n\r\n") + 4
        data = data[head_length + len(answer.body) :]
    assert [answer.status for answer in answers] == [200, 200]
    assert [len(json.loads(answer.body)["items"]) for answer in answers] == [1, 2]


def test_a_dripping_head_is_cut_off_however_it_drips(server: LiveServer) -> None:
    """One byte a tenth of a second: each arrival is within any idle timeout, the head never
    completes."""
    stop = threading.Event()
    with _connect(server) as sock:

        def drip() -> None:
            for byte in b"GET /v1/sources HTTP/1.1\r\nX-Slow: " + b"a" * 1000:
                if stop.is_set():
                    return
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.1)

        dripping = threading.Thread(target=drip)
        dripping.start()
        try:
            answer = _read_answer(sock, timeout=HEADER_TIMEOUT + 5)
        finally:
            stop.set()
            dripping.join()
    assert answer is not None
    assert answer.status == 408


@pytest.mark.parametrize(
    "raw",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n",  # TLS
        b"GET /v1/sources HTTP/1.1\r\nHost x\r\n\r\n",
        b"GET /v1/sources HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/sources HTTP/1.1\r\n bad folding at the start\r\n\r\n",
        b"GET /v1/sources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    ],
)
def test_malformed_requests_are_problems_not_plain_text(server: LiveServer, raw: bytes) -> None:
    answer = _exchange(server, raw)
    assert answer is not None
    assert 400 <= answer.status < 500
    answer.problem()


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "G\x00T", "get"]),
    target=st.one_of(
        st.sampled_from(["/v1/sources", "/v1/observations", "*", "/", "//..//", "/v1/%00"]),
        st.binary(min_size=1, max_size=40).map(lambda b: "/" + b.decode("latin-1")),
    ),
    version=st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2", "HTTP/1.1 extra", ""]),
    headers=st.lists(
        st.tuples(
            st.sampled_from(["Host", "Content-Length", "Transfer-Encoding", "Expect", "X-A"]),
            st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
        ),
        max_size=4,
    ),
    body=st.binary(max_size=64),
)
def test_fuzzed_request_heads_never_make_a_server_error(
    server: LiveServer,
    method: str,
    target: str,
    version: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    head = f"{method} {target} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    raw = head.encode("latin-1") + b"Connection: close\r\n\r\n" + body
    answer = _exchange(server, raw, timeout=HEADER_TIMEOUT + BODY_TIMEOUT + 5)
    if answer is None:
        return  # closed without an answer: only for what never became a request
    assert answer.status < 500, (raw, answer)
    if answer.status >= 400:
        answer.problem()
