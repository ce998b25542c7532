"""A client that trickled its request headers one byte at a time kept its connection (and a
slot of the server) for as long as it liked: uvicorn restarts its keep-alive timer at every
byte. Now the request line and headers must all arrive within ``header_timeout`` seconds."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

from serve_support import serve_sample

from ekipgraph.serve import ServeConfig


def test_a_trickling_client_is_dropped_and_others_are_served() -> None:
    with serve_sample(ServeConfig(header_timeout=1.0)) as base:
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
