"""Read an XML record file without letting it define entities.

`xml.etree.ElementTree` expands internal entities, so a file with a DOCTYPE can blow up into gigabytes
("billion laughs"). The collections we import never need a DTD, so a file that declares one is refused
before parsing, and reported like any other unreadable file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class UnreadableXml(ValueError):
    """A file that is not XML we accept; the message is one line, fit for a report."""


def read_xml_root(path: Path) -> ElementTree.Element:
    """The root element of `path`; raises UnreadableXml for DTDs, entity declarations or broken XML."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableXml(f"cannot read: {error.strerror or error}") from None
    declaration = _DECLARATIONS.search(content)
    if declaration:
        kind = declaration.group(1).decode().upper()
        raise UnreadableXml(f"refused: declares a {kind} (entity expansion is not allowed)")
    try:
        return ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise UnreadableXml(f"not well-formed XML: {error}") from None
