"""The one gate every authoring file passes before it is parsed.

A file is read only when it is a regular file inside the data folder (no FIFO, device,
socket or directory; a symbolic link only when it resolves inside the data folder), no
larger than its limits, UTF-8 text, and free of control characters. The limits are checked
on the raw bytes, before any parser runs, so an oversized input is refused in milliseconds
instead of being parsed for seconds first.

Limits (per file; see docs/authoring.md):

- case files (``cases/*.yaml|ttl|jsonld``): 4 MiB, 50,000 lines;
- shared files (``shared/*.yaml``): 64 MiB, 2,000,000 lines;
- any line: 65,536 characters; any text value: 65,536 characters;
- nesting: 64 levels of lists and mappings.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ekipgraph.cases.problems import ProblemList


@dataclass(frozen=True)
class InputLimits:
    """How large one authoring file may be."""

    max_bytes: int
    max_lines: int
    max_line_length: int = 65_536


CASE_FILE_LIMITS = InputLimits(max_bytes=4 * 1024 * 1024, max_lines=50_000)
SHARED_FILE_LIMITS = InputLimits(max_bytes=64 * 1024 * 1024, max_lines=2_000_000)
MAX_TEXT_LENGTH = 65_536
MAX_DEPTH = 64

# C0 controls except tab, line feed and carriage return; DEL; C1 controls. None of them has
# a place in a case description, and ESC or NUL would reach terminals and RDF/XML.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A lone surrogate (written as an escape) cannot be encoded in UTF-8 at all.
# U+FFFE and U+FFFF are not characters XML may hold (RDF/XML would not be well-formed).
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_input_text(
    path: Path,
    problems: ProblemList,
    limits: InputLimits = CASE_FILE_LIMITS,
    root: Path | None = None,
) -> str | None:
    """The text of ``path``, or ``None`` with a problem saying why it cannot be read.

    ``root`` is the data folder: a symbolic link must resolve inside it.
    """
    path = Path(path)

    def refuse(message: str, line: int = 1, column: int = 1) -> None:
        problems.add(path, line, column, "", message)

    try:
        link = os.lstat(path)
        if stat.S_ISLNK(link.st_mode):
            target = path.resolve(strict=True)
            if root is not None and not target.is_relative_to(Path(root).resolve()):
                refuse("cannot read the file: a symbolic link to a file outside the data folder")
                return None
        info = os.stat(path)
    except RuntimeError:  # Path.resolve on a loop, Python < 3.13
        refuse("cannot read the file: a symbolic link that loops")
        return None
    except OSError as error:
        reason = "a symbolic link that loops" if error.errno == 40 else error.strerror or error
        refuse(f"cannot read the file: {reason}")
        return None
    if not stat.S_ISREG(info.st_mode):
        refuse(f"cannot read the file: it is {_file_kind(info.st_mode)}, not a regular file")
        return None
    if info.st_size > limits.max_bytes:
        refuse(
            f"cannot read the file: {info.st_size:,} bytes is more than the limit of "
            f"{limits.max_bytes:,} bytes for this kind of file; split it"
        )
        return None
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since stat(), opening it
        # must not wait for a writer; fstat below sees what was really opened.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                refuse("cannot read the file: it is not a regular file")
                return None
            raw = handle.read(limits.max_bytes + 1)
    except OSError as error:
        refuse(f"cannot read the file: {error.strerror or error}")
        return None
    if len(raw) > limits.max_bytes:
        refuse(f"cannot read the file: more than the limit of {limits.max_bytes:,} bytes")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        refuse("the file is not UTF-8 text", line, column)
        return None
    lines = text.count("\n") + 1
    if lines > limits.max_lines:
        refuse(
            f"cannot read the file: {lines:,} lines is more than the limit of "
            f"{limits.max_lines:,} lines for this kind of file; split it"
        )
        return None
    if len(text) > limits.max_line_length:
        long_line = re.search(f"[^\n]{{{limits.max_line_length + 1}}}", text)
        if long_line:
            line, _ = _position(text, long_line.start())
            refuse(
                f"cannot read the file: line {line} is longer than the limit of "
                f"{limits.max_line_length:,} characters",
                line,
            )
            return None
    control = _CONTROL.search(text)
    if control:
        line, column = _position(text, control.start())
        refuse(
            f"the file is not text: it holds the control character {_describe(control[0])}",
            line,
            column,
        )
        return None
    return text


def text_problem(value: str) -> str | None:
    """Why a text value (after escapes are resolved) cannot be used, or ``None``."""
    if len(value) > MAX_TEXT_LENGTH:
        return (
            f"the text is {len(value):,} characters long, more than the limit of "
            f"{MAX_TEXT_LENGTH:,}"
        )
    bad = _BAD_TEXT.search(value)
    if bad is None:
        return None
    char = bad[0]
    if "\ud800" <= char <= "\udfff":
        return f"the text holds a lone surrogate {_describe(char)}, which is not a character"
    return f"the text holds the control character {_describe(char)}"


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"
