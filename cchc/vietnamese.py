"""Vietnamese text normalisation for comparing labels written by different hands.

Real documents mix tone-mark placement ("hoá"/"hóa", "Uỷ"/"Ủy"), composed and decomposed
Unicode, stray spaces and HTML tags. `key()` gives a form in which those differences vanish
but tones and vowel marks still count; `fold()` drops every diacritic (đ included, which NFD
does not decompose) for looser comparisons.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def strip_markup(text: str) -> str:
    """Remove HTML tags and Markdown emphasis, as found in text extractions of reports."""
    text = _TAG.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return text


def clean(text: str) -> str:
    """NFC, markup removed, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", strip_markup(text)).replace("\u00a0", " ")
    return _SPACE.sub(" ", text).strip()


def _tone_key_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    base = unicodedata.normalize("NFC", base)
    return base + ("".join(tones[:1]) if tones else "")


def key(text: str) -> str:
    """Lower-case comparison key that ignores tone-mark placement but keeps tones."""
    text = clean(text).lower()
    return _WORD.sub(lambda m: _tone_key_word(m.group(0)), text)


def fold(text: str) -> str:
    """Lower-case, every diacritic removed, đ → d; punctuation kept, spaces collapsed."""
    text = clean(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
