"""Query worker processes: where SPARQL runs, so that it can be stopped.

Oxigraph cannot cancel a query, and a thread cannot be killed, so every query slot is a
process of its own (``python -m ekipgraph.serve.workers``) reading a read-only snapshot of
the store on disk (opened once, never copied per request). A query that passes its time
limit gets its process killed and replaced; one that crashes its process (a stack overflow
the nesting limit did not foresee) costs that process only. Requests beyond the free slots
wait in a bounded queue; past its depth, or after waiting longer than the time limit, they
get 503 with Retry-After.

The two ends talk over a socket pair with ``multiprocessing.connection`` framing: the
server sends ``(snapshot path, Operation)``, the worker answers ``("ok", Answer)`` or
``("error", status, message, headers)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from ekipgraph.serve.executor import Answer, EndpointError, Operation

#: The evaluating thread's stack: virtual memory, only touched as deep as a query goes.
WORKER_STACK_BYTES = 512 * 1024 * 1024
#: A worker that has not said "ready" by then is considered broken.
START_TIMEOUT = 60.0


# --- the worker process -------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server dies (elsewhere: EOF on the pipe)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def _serve_jobs(conn: Connection, max_results: int) -> None:
    import pyoxigraph as ox

    from ekipgraph.serve.executor import evaluate

    store: ox.Store | None = None
    opened: str | None = None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        snapshot, operation = job
        try:
            if store is None or opened != snapshot:
                store, opened = None, None
                store, opened = ox.Store.read_only(snapshot), snapshot
            reply: tuple = ("ok", evaluate(store, operation, max_results))
        except EndpointError as error:
            reply = ("error", error.status, error.message, error.headers)
        except Exception as error:  # a bug or a store failure: the server answers 500
            reply = ("error", 500, f"the query failed: {type(error).__name__}: {error}", {})
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


def worker_main(argv: list[str]) -> None:
    """Entry point of a worker process: ``<socket fd> <max results>``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    _die_with_parent()
    conn = Connection(int(argv[0]))
    threading.stack_size(WORKER_STACK_BYTES)
    thread = threading.Thread(target=_serve_jobs, args=(conn, int(argv[1])), name="sparql")
    thread.start()
    thread.join()


# --- the server's side ----------------------------------------------------------------------


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, max_results: int) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ekipgraph.serve.workers",
                str(theirs.fileno()),
                str(max_results),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise RuntimeError("a query worker did not start")
        try:
            self.conn.recv()
        except (EOFError, OSError) as error:
            self.kill()
            raise RuntimeError(
                f"a query worker failed to start (exit {self.process.poll()})"
            ) from error

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, snapshot: str, operation: Operation, timeout: float) -> Answer:
        """Run ``operation``; past ``timeout`` seconds the process is killed (503)."""
        try:
            self.conn.send((snapshot, operation))
            if not self.conn.poll(timeout):
                self.kill()
                raise EndpointError(
                    503,
                    f"the query ran longer than the limit of {timeout:g} s and was stopped; "
                    "narrow it or add a LIMIT",
                )
            reply = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            code = self.process.returncode
            how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit {code}"
            raise EndpointError(
                500, f"the query stopped the process evaluating it ({how}); simplify the query"
            ) from None
        if reply[0] == "ok":
            return reply[1]
        raise EndpointError(reply[1], reply[2], reply[3])

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            self.conn.close()


class WorkerPool:
    """``size`` worker processes, a queue of at most ``queue_depth`` waiting requests."""

    def __init__(self, size: int, queue_depth: int, timeout: float, max_results: int) -> None:
        self.size = size
        self.queue_depth = queue_depth
        self.timeout = timeout
        self.max_results = max_results
        self.snapshot = ""
        self.waiting = 0
        #: worker processes killed at their deadline, or crashed, since the start
        self.replaced = 0
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="sparql-pipe")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def start(self, snapshot: str) -> None:
        self.snapshot = snapshot
        self._loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(self._loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size))
        )
        for worker in started:
            self._idle.put_nowait(worker)

    def _spawn(self) -> Worker:
        worker = Worker(self.max_results)
        self._all.add(worker)
        return worker

    def _busy(self) -> EndpointError:
        return EndpointError(
            503,
            f"the endpoint is busy: {self.size} queries are running and {self.waiting} waiting "
            f"(at most {self.queue_depth}); try again shortly",
            {"Retry-After": "2"},
        )

    async def run(self, operation: Operation) -> Answer:
        if self._loop is None:
            raise EndpointError(503, "the query workers are not running", {"Retry-After": "2"})
        if self._idle.empty() and self.waiting >= self.queue_depth:
            raise self._busy()
        self.waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise self._busy() from None
        finally:
            self.waiting -= 1
        loop = self._loop
        try:
            return await loop.run_in_executor(
                self._threads, self._call, worker, self.snapshot, operation
            )
        except asyncio.CancelledError:
            # the client went away: the worker finishes (or is killed) in its thread,
            # and _call hands it back
            raise

    def _call(self, worker: Worker, snapshot: str, operation: Operation) -> Answer:
        """In a pipe thread: run the job, then give the slot back (a fresh process if the
        old one was killed or crashed)."""
        try:
            return worker.call(snapshot, operation, self.timeout)
        finally:
            back: Worker | None = worker
            if not worker.alive:
                self._all.discard(worker)
                self.replaced += 1
                back = self._respawn()
            if back is not None:
                self._give_back(back)

    def _respawn(self) -> Worker | None:
        while not self._closed:
            try:
                return self._spawn()
            except RuntimeError:
                time.sleep(1)  # the machine is short of something; do not spin
        return None

    def _give_back(self, worker: Worker) -> None:
        assert self._loop is not None
        if self._closed:
            worker.stop()
            return
        with contextlib.suppress(RuntimeError):  # the loop has stopped: nothing to give to
            self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)

    def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            if worker.alive:
                worker.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


if __name__ == "__main__":
    worker_main(sys.argv[1:])
