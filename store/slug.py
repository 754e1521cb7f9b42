"""Tags as one spelling: 'Regional Security', 'regional-security' and 'regional_security' are one tag."""

from __future__ import annotations

from store.textfold import fold, word_tokens


def slugify(text: str) -> str:
    """Lower-case words without diacritics joined by '-': 'Información Security' → 'informacion-security'."""
    return "-".join(word_tokens(fold(text)))
