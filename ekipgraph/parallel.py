"""How many processes a build's parallel steps use: the machine's cores, or
``EKIPGRAPH_WORKERS`` (a positive whole number; 1 keeps everything in one process)."""

from __future__ import annotations

import os

WORKERS_VARIABLE = "EKIPGRAPH_WORKERS"


class WorkerCountError(ValueError):
    """``EKIPGRAPH_WORKERS`` is not a positive whole number."""


def worker_count() -> int:
    """The processes to use: ``EKIPGRAPH_WORKERS`` when set, else the cores this process may
    run on."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not value:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise WorkerCountError(
            f"{WORKERS_VARIABLE}={value!r} is not a number of processes; "
            "set a whole number from 1 (or unset it to use every core)"
        )
    return int(value)
