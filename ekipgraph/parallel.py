"""How many processes a build's parallel steps use: the machine's cores, or
``EKIPGRAPH_WORKERS`` (a whole number from 1 to a few times the cores; 1 keeps everything in
one process)."""

from __future__ import annotations

import os

WORKERS_VARIABLE = "EKIPGRAPH_WORKERS"
#: ``EKIPGRAPH_WORKERS`` is at most this many times the cores: a pool forks all its
#: processes at once, and past a few per core they only add memory
WORKERS_PER_CORE = 4


class WorkerCountError(ValueError):
    """``EKIPGRAPH_WORKERS`` is not a whole number from 1 to :func:`most_workers`."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def most_workers() -> int:
    return WORKERS_PER_CORE * cores()


def worker_count() -> int:
    """The processes to use: ``EKIPGRAPH_WORKERS`` when set, else the cores this process may
    run on."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not value:
        return cores()
    if not value.isdigit() or int(value) < 1:
        raise WorkerCountError(
            f"{WORKERS_VARIABLE}={value!r} is not a number of processes; "
            "set a whole number from 1 (or unset it to use every core)"
        )
    if int(value) > most_workers():
        raise WorkerCountError(
            f"{WORKERS_VARIABLE}={value} is more than {WORKERS_PER_CORE} processes for each of "
            f"the {cores()} cores this process may use; set at most {most_workers()} "
            "(or unset it to use every core)"
        )
    return int(value)


def pool_size(workers: int, jobs: int) -> int:
    """The processes a pool starts for ``jobs`` jobs: never more than there are jobs, since
    a process pool forks all its processes up front."""
    return max(1, min(workers, jobs))
