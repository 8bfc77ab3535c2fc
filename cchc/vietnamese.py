"""Vietnamese text normalisation for comparing labels written by different hands.

Real documents mix tone-mark placement ("hoá"/"hóa", "Uỷ"/"Ủy"), composed and decomposed
Unicode, stray spaces and HTML tags. `key()` gives a form in which those differences vanish
but tones and vowel marks still count; `fold()` drops every diacritic (đ included, which NFD
does not decompose) for looser comparisons.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_STAR = re.compile(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")


def strip_markup(text: str) -> str:
    """Remove HTML tags and Markdown emphasis, as found in text extractions of reports."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "*" in text or "__" in text:
        text = text.replace("**", "").replace("__", "")
        text = _STAR.sub("", text)
    return text


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """NFC, markup removed, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", strip_markup(text)).replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip()


def _tables() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Translation tables over precomposed Latin letters: tone removed (vowel marks kept),
    the tone mark alone, and every mark removed (đ → d). str.translate runs in C."""
    toneless: dict[int, str] = {}
    tone: dict[int, str] = {}
    bare: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1F00):
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) < 2 or not decomposed[0].isascii():
            continue
        marks = [m for m in decomposed[1:] if m in _TONES]
        if marks:
            kept = "".join(m for m in decomposed if m not in _TONES)
            toneless[code] = unicodedata.normalize("NFC", kept)
            tone[code] = marks[0]
        bare[code] = decomposed[0]
    return toneless, tone, bare


_TONELESS, _TONE_OF, _BARE = _tables()


def _tone_key_word(word: str) -> str:
    base = word.translate(_TONELESS)
    if base == word:
        return word
    tones = [_TONE_OF[ord(ch)] for ch in word if ord(ch) in _TONE_OF]
    return base + tones[0]


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Lower-case comparison key that ignores tone-mark placement but keeps tones."""
    text = clean(text).lower()
    return _WORD.sub(lambda m: _tone_key_word(m.group(0)), text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, every diacritic removed, đ → d; punctuation kept, spaces collapsed."""
    return clean(text).lower().translate(_BARE)


def words(text: str) -> list[str]:
    """Folded words, punctuation dropped."""
    return _WORD.findall(fold(text))


def title_case(text: str) -> str:
    """'HƯƠNG TRÀ' → 'Hương Trà' (str.title handles Vietnamese letters correctly)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in clean(text).split(" "))


def starts_lower(text: str) -> bool:
    """True when the first letter of the text is lower-case (a continued sentence)."""
    for ch in clean(text):
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# tones in dictionary order: huyền, hỏi, ngã, sắc, nặng
_TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: letters of their own


@lru_cache(maxsize=16384)
def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order (a < ă < â < b … d < đ; tones only break ties), the same
    on every database: SQLite and PostgreSQL collations disagree, so sort in Python.
    Cached: lists sort the same unit names on every request."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        marks = [m for m in parts[1:] if m in _BASE_MARKS]
        letter = unicodedata.normalize("NFC", base + "".join(marks))
        position = _ALPHABET.find(letter) if len(letter) == 1 else -1
        letters.append(1000 + position if position >= 0 else ord(letter[0]) * 10 + len(marks))
        tones.append(next((_TONE_ORDER[m] for m in parts[1:] if m in _TONE_ORDER), 0))
    return tuple(letters), tuple(tones)
