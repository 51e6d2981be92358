"""A huge body against a real server (issue 16): refused with 413 within a second, while other
requests are answered as usual."""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx

BODY_BYTES = 40 * 1024 * 1024


def _send_huge_events_body(base_url: str, chunked: bool) -> tuple[float, bytes]:
    """Start sending a 40 MB events body (declared, or chunked) and time the server's answer."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BODY_BYTES}"
    head = (
        f"POST /api/v1/events HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    )
    piece = b" " * (256 * 1024)
    stop = threading.Event()

    def pour() -> None:  # the client keeps sending, as a hostile one would
        try:
            opening = b'{"events": ['
            sock.sendall(b"%x\r\n%s\r\n" % (len(opening), opening) if chunked else opening)
            for _ in range(BODY_BYTES // len(piece)):
                if stop.is_set():
                    return
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        except OSError:
            pass  # the server closed the connection: expected

    started = time.monotonic()
    sock.sendall(head.encode())
    sender = threading.Thread(target=pour, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        elapsed = time.monotonic() - started
        while len(answer) < 64 * 1024:  # the body follows the head
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    except TimeoutError:
        elapsed = time.monotonic() - started
    except ConnectionResetError:  # the server answered and closed while the client still sent:
        elapsed = time.monotonic() - started  # TCP resets; what was read before counts
    finally:
        stop.set()
        sock.close()
        sender.join(timeout=5)
    return elapsed, answer


def test_a_40_mb_events_body_is_refused_within_a_second_while_pages_still_answer(
    server, http
) -> None:
    for chunked in (False, True):
        outcome: list[tuple[float, bytes]] = []
        huge = threading.Thread(
            target=lambda: outcome.append(_send_huge_events_body(server.base_url, chunked))  # noqa: B023
        )
        huge.start()
        time.sleep(0.05)
        started = time.monotonic()
        page = httpx.get(f"{server.base_url}/signin", timeout=5)
        page_seconds = time.monotonic() - started
        huge.join(timeout=10)
        [(elapsed, answer)] = outcome
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head[:200]
        assert elapsed < 1.0, f"413 after {elapsed:.2f} s (chunked={chunked})"
        if not chunked:
            assert json.loads(body)["error"]["code"] == "body_too_large"
        assert page.status_code == 200
        assert page_seconds < 1.0, f"a page took {page_seconds:.2f} s beside the huge body"
