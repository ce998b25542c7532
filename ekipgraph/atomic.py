"""All-or-nothing output folders: build into a staging folder, then swap it into place.

Rules every command that writes a folder follows (``build``, ``release``, ``patterns``,
``publish``, ``run``, ``synth``):

- it replaces only a folder it wrote itself: one holding the marker file ``.ekipgraph-output``
  (or an empty folder, or one holding nothing but such folders); any other folder, a file,
  the project folder, its sources (``data/``, ``ontology/``…) and the working folder are
  refused with ``OutputFolderError`` before anything is written;
- the new output replaces the old in one step: on Linux one ``renameat2(RENAME_EXCHANGE)``
  swaps the staging folder and the target, so the target path always names either the old
  or the new folder, even after a kill -9 at any moment; elsewhere two renames, with a
  ``.NAME.previous`` that the next run puts back should it be interrupted between them;
- on any error the target stays exactly as it was; staging folders of processes that died
  are removed by the next run.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: written into every folder ekipgraph creates; its presence allows replacing the folder
MARKER = ".ekipgraph-output"
#: folders of the project that no output may replace or be written into
PROJECT_SOURCES = (
    "data",
    "ontology",
    "shapes",
    "queries",
    "ekipgraph",
    "tests",
    "docs",
    "benchmarks",
    ".git",
)


class OutputFolderError(RuntimeError):
    """The target folder is not one ekipgraph may replace."""


def _project_root() -> Path:
    from ekipgraph.project import default_layout

    return default_layout().root.resolve()


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _is_own_output(folder: Path) -> bool:
    """Written by ekipgraph: it has the marker, is empty, or holds only such folders."""
    if (folder / MARKER).is_file():
        return True
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return all(
        entry.is_dir() and not entry.is_symlink() and _is_own_output(entry)
        for entry in entries
        if not _is_staging_name(entry.name)
    )


def _is_staging_name(name: str) -> bool:
    return name.startswith(".") and (".staging-" in name or name.endswith(".previous"))


def check_output_folder(target: Path) -> Path:
    """``target`` resolved, when ekipgraph may replace it; else ``OutputFolderError``."""
    target = Path(target)
    resolved = target.resolve()
    root = _project_root()
    here = Path.cwd().resolve()
    if _is_within(root, resolved):
        raise OutputFolderError(
            f"{target}: refusing to replace the project folder {root} (or a folder holding it)"
        )
    for name in PROJECT_SOURCES:
        if _is_within(resolved, root / name):
            raise OutputFolderError(
                f"{target}: refusing to write into the project's {name}/ folder"
            )
    if _is_within(here, resolved):
        raise OutputFolderError(
            f"{target}: refusing to replace the working folder (or a folder holding it)"
        )
    if target.is_symlink():
        raise OutputFolderError(f"{target}: is a symbolic link; give the folder itself")
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"{target}: is a file, not a folder")
    if target.is_dir() and not _is_own_output(target):
        raise OutputFolderError(
            f"{target}: not a folder ekipgraph wrote (it has no {MARKER} marker), so it is "
            "left alone; remove it yourself or choose another output folder"
        )
    return resolved


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(target: Path) -> None:
    """Remove staging folders of dead processes; put back an interrupted two-rename swap."""
    previous = target.with_name(f".{target.name}.previous")
    if previous.is_dir() and not target.exists():
        previous.rename(target)  # interrupted between the two renames: the old output
    for entry in target.parent.glob(f".{target.name}.*"):
        if entry == previous or not entry.is_dir():
            if entry == previous and target.exists():
                shutil.rmtree(entry, ignore_errors=True)
            continue
        pid_text = entry.name.partition(".staging-")[2].partition("-")[0]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the old output
        return
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def replace_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder (holding only the marker); on success it replaces
    ``target`` whole, in one step. ``OutputFolderError`` when ``target`` may not be replaced."""
    target = Path(target)
    check_output_folder(target)
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent)
    )
    try:
        (staging / MARKER).write_text(
            json.dumps({"written_by": "ekipgraph", "replaceable": True}) + "\n", "utf-8"
        )
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it private; the output is meant to be read
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file so readers see either the old or the new content, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        staged = Path(handle.name)
    staged.replace(path)
