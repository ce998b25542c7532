"""Which of the six languages a text is in.

lingua-language-detector decides among *all* the languages it knows (low-accuracy mode:
0.5 s to load, versus 9 s for the full models), so a German text is reported as German
rather than forced into the nearest of ours (restricted to six, German comes out as Dutch).
Then simplemma checks that enough of the words are words of that language, which catches
gibberish and symbol soup that any detector must label somehow. The evaluation compares
lingua with simplemma's own detector on the annotated texts.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lingua is imported where it is used, when a text is detected
    from lingua import LanguageDetector

SUPPORTED = ("en", "sv", "nl", "fr", "sk", "it")
LANGUAGE_NAMES = {
    "en": "English",
    "sv": "Swedish",
    "nl": "Dutch",
    "fr": "French",
    "sk": "Slovak",
    "it": "Italian",
}
# The detector reads at most this much (the start of a document tells its language).
_SAMPLE_CHARS = 20_000
# Below this share of words simplemma knows in the language, the text is not prose in it.
MIN_KNOWN_SHARE = 0.35
MIN_CONFIDENCE = 0.5


class LanguageError(ValueError):
    """The text is not (recognisably) in one of the supported languages."""


@cache
def _detector() -> LanguageDetector:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_lingua(text: str) -> tuple[str | None, float]:
    """lingua's best language (ISO 639-1, lower case) and its confidence."""
    values = _detector().compute_language_confidence_values(text[:_SAMPLE_CHARS])
    if not values:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def detect_simplemma(text: str) -> tuple[str | None, float]:
    """simplemma's best guess among the supported languages (for comparison)."""
    import simplemma

    ranked = simplemma.langdetect(text[:_SAMPLE_CHARS], lang=SUPPORTED)
    language, share = ranked[0]
    return (None if language == "unk" else language), float(share)


def known_share(text: str, language: str) -> float:
    """The share of words in ``text`` that simplemma knows in ``language``."""
    import simplemma

    return float(simplemma.in_target_language(text[:_SAMPLE_CHARS], lang=language))


def detect_language(text: str, name: str = "the text") -> str:
    """The language of ``text``; ``LanguageError`` when it is none of the supported six."""
    language, confidence = detect_lingua(text)
    supported = ", ".join(f"{code} ({LANGUAGE_NAMES[code]})" for code in SUPPORTED)
    if language is None or confidence < MIN_CONFIDENCE:
        raise LanguageError(
            f"{name}: the language could not be recognised; ekipgraph extract reads "
            f"{supported}; pass --lang if you know it is one of them"
        )
    if language not in SUPPORTED:
        raise LanguageError(
            f"{name}: the text's language reads as '{language}', which ekipgraph extract does not "
            f"handle (it reads {supported}); pass --lang to force one of them"
        )
    if known_share(text, language) < MIN_KNOWN_SHARE:
        raise LanguageError(
            f"{name}: too few words of {LANGUAGE_NAMES[language]} (or of any supported "
            "language) to read it as prose; pass --lang to force a language"
        )
    return language


def check_language_code(code: str) -> str:
    """A --lang value, normalised; ``LanguageError`` for an unsupported one."""
    normal = code.strip().lower()
    if normal not in SUPPORTED:
        raise LanguageError(f"--lang {code!r} is not supported; use one of {', '.join(SUPPORTED)}")
    return normal
