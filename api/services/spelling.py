"""Names as keys: letters folded to the Latin alphabet a key holds, and the letters that
cannot be, found out rather than dropped.

A key is lower-case ASCII (KEY_PATTERN). Dropping what it cannot hold made `mé` the model
`m`, `通义千问-Max` the model `max`, and every funding programme named in Chinese in one
country and period one record.
"""

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=16_384)
def fold(text: str) -> str:
    """Case-folded, with accents and compatibility forms dropped: `Mé` -> `me`, `Straße`
    -> `strasse`, full-width letters -> their ASCII twins."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def letters_lost(text: str) -> str:
    """The letters and digits of `text` that no key can hold, even folded."""
    return "".join(ch for ch in fold(text) if not ch.isascii() and ch.isalnum())


class UnkeyableName(ValueError):
    """A name whose letters a key cannot hold: refused, never shortened into another key."""

    def __init__(
        self, name: str, lost: str, remedy: str = "write it in Latin letters, or give the row a key"
    ) -> None:
        super().__init__(f"{name!r} has letters a key cannot hold ({lost}); {remedy}")
        self.name = name
