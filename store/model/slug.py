"""Tags as one spelling: 'Regional Security', 'regional-security' and 'regional_security' are one tag.

The validator slugs every tag on load and the filter slugs every `topic:` value, both through `slugify`, so a
tag and a query for it are always spelled alike. Slugs fold like words do (`store.model.textfold`).
"""

from __future__ import annotations

from store.model.textfold import fold, word_tokens


def slugify(text: str) -> str:
    """Lower-case words without diacritics joined by '-': 'Información Security' → 'informacion-security'."""
    return "-".join(word_tokens(fold(text)))
