"""Text from data, made safe for the terminal.

Labels, messages and query results come from files anyone can write. Printed as they are,
``[/bold]`` would be read as rich markup (and end the command with a traceback) and an ESC
sequence would reach the terminal itself. ``plain`` turns such text into a rich ``Text``
(never parsed as markup) with every control character shown as an escape.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# C0 (tab and line feed kept: they only lay text out), DEL, C1, and the bidirectional
# overrides that reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(char: re.Match[str]) -> str:
    code = ord(char[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``)."""
    return _UNSAFE.sub(_visible, str(text))


def plain(text: object, style: str = "") -> Text:
    """A rich ``Text`` of ``text``: printable, and never parsed as markup."""
    return Text(printable(text), style=style)


def markup_safe(text: object) -> str:
    """``text`` printable and with rich markup escaped, to put inside a markup string."""
    return escape(printable(text))
