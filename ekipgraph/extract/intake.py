"""Text intake: read a plain-text, Markdown or HTML file into the text that is analysed.

Offsets everywhere in ``ekipgraph.extract`` count Unicode code points in ``Document.text``.
For plain text and Markdown that text is the file itself (decoded, byte-order mark dropped,
line ends kept), so an annotation's position selects exactly the characters of the file.
For HTML it is the page's main text as trafilatura extracts it (menus, footers and cookie
banners left out); that text is written beside the annotations so that positions resolve
against a file a reviewer can open.

``analysis_text`` is ``text`` with web addresses, e-mail addresses and Markdown link
targets blanked out (same length, so offsets stay valid): "lund" inside a URL is not a
mention of Lund.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A case description, report or news item is a few to a few hundred kilobytes; a file far
# beyond this is not prose meant for review.
MAX_BYTES = 2_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
# Share of control characters (other than tab and line ends) beyond which data is not text.
_MAX_CONTROL_SHARE = 0.01

_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
_MD_LINK_TARGET = re.compile(r"\]\(([^)\s]*)\)")
_MD_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]{0,200}>")


class IntakeError(ValueError):
    """A file that cannot be analysed, with a message naming it and saying why."""


@dataclass(frozen=True)
class Document:
    """One input file, as analysed."""

    path: Path
    format: str  # "text", "markdown" or "html"
    text: str
    title: str | None = None

    @property
    def analysis_text(self) -> str:
        return mask_non_prose(self.text, markdown=self.format == "markdown")

    @property
    def derived(self) -> bool:
        """True when ``text`` is not the file itself (HTML main text)."""
        return self.format == "html"


def mask_non_prose(text: str, markdown: bool = False) -> str:
    """``text`` with addresses (and Markdown link targets and inline tags) replaced by spaces."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for index in range(start, end):
            if chars[index] not in "\r\n":
                chars[index] = " "

    for match in _URL.finditer(text):
        blank(match.start(), match.end())
    if markdown:
        for match in _MD_LINK_TARGET.finditer(text):
            blank(match.start(1), match.end(1))
        for match in _MD_HTML_TAG.finditer(text):
            blank(match.start(), match.end())
    return "".join(chars)


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one input file; raise ``IntakeError`` with a clear message when it cannot be."""
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"{path}: no such file")
    if not path.is_file():
        raise IntakeError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IntakeError(
            f"{path}: {size:,} bytes is more than the {max_bytes:,} bytes a text may have "
            "(split it, or pass --max-bytes)"
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IntakeError(f"{path}: cannot read the file: {error.strerror or error}") from error
    text = _decode(path, raw)
    if not text.strip():
        raise IntakeError(f"{path}: the file is empty; there is no text to extract from")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _looks_like_html(text)):
        return _html_document(path, text)
    markdown = suffix in MARKDOWN_SUFFIXES
    return Document(path, "markdown" if markdown else "text", text, _first_heading(text))


def _decode(path: Path, raw: bytes) -> str:
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    if b"\x00" in raw and encoding != "utf-16":
        raise IntakeError(f"{path}: a binary file (it contains NUL bytes), not text")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise IntakeError(
            f"{path}: not UTF-8 text (undecodable byte at line {line}); "
            "a binary file, or save it as UTF-8"
        ) from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise IntakeError(f"{path}: a binary file ({controls} control characters), not text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _html_document(path: Path, html: str) -> Document:
    import trafilatura  # lazy: only HTML input pays for it

    main = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    if not main or not main.strip():
        # A page too small for boilerplate detection: take all of its visible text.
        main = trafilatura.html2txt(html)
    if not main or not main.strip():
        raise IntakeError(f"{path}: the HTML page has no text to extract from")
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else None
    return Document(path, "html", main, title or _first_heading(main))


def _first_heading(text: str) -> str | None:
    """The first line, when it reads as a title (short, no final full stop)."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if len(line) <= 150 and not line.endswith((".", ":", ";")):
            return line
        return None
    return None
