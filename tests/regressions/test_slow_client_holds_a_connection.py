"""A client that trickled its request headers one byte at a time kept its connection (and a
slot of the server) for as long as it liked: uvicorn restarts its keep-alive timer at every
byte. Now the request line and headers must all arrive within ``header_timeout`` seconds."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
from serve_support import running_server, sample_store

from ekipgraph.serve import ServeConfig, create_app

IMPLEMENTATIONS = ["h11", "httptools"]


def serve(implementation: str, config: ServeConfig):
    if implementation == "httptools":
        pytest.importorskip("httptools")
    return running_server(create_app(sample_store(), config), implementation)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_a_trickling_client_is_dropped_and_others_are_served(implementation: str) -> None:
    with serve(implementation, ServeConfig(header_timeout=1.0, workers=1)) as base:
        parts = urlsplit(base)
        slow = socket.create_connection((parts.hostname, parts.port), timeout=5)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        closed_after = None
        while time.monotonic() - started < 8:  # bounded: the old server never closes it
            try:
                slow.sendall(b"X")
                time.sleep(0.25)
                slow.setblocking(False)
                try:
                    if slow.recv(1024) == b"":
                        closed_after = time.monotonic() - started
                        break
                except BlockingIOError:
                    pass
                finally:
                    slow.setblocking(True)
            except OSError:
                closed_after = time.monotonic() - started
                break
        slow.close()
        assert closed_after is not None, "the trickling connection stayed open"
        assert closed_after < 4
        fast = socket.create_connection((parts.hostname, parts.port), timeout=5)
        fast.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert fast.recv(12).startswith(b"HTTP/1.1 200")
        fast.close()


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_an_oversized_request_head_is_refused(implementation: str) -> None:
    with serve(implementation, ServeConfig(max_header_bytes=4096, workers=1)) as base:
        parts = urlsplit(base)
        client = socket.create_connection((parts.hostname, parts.port), timeout=10)
        client.sendall(
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
        )
        answer = b""
        try:
            while chunk := client.recv(4096):
                answer += chunk
        except OSError:
            pass
        client.close()
        assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:100]
        # a request of normal size on a new connection is served
        fine = socket.create_connection((parts.hostname, parts.port), timeout=10)
        fine.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert fine.recv(12).startswith(b"HTTP/1.1 200")
        fine.close()
