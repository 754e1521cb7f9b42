"""Read an XML record file without letting it define entities.

`xml.etree.ElementTree` expands internal entities, so a file with a DOCTYPE can blow up into gigabytes
("billion laughs"). The collections we import never need a DTD, so a file that declares one is refused,
and reported like any other unreadable file. The refusal is defusedxml's, made by the parser as it reads:
a byte pattern looked for before parsing missed declarations in UTF-16 (and any other encoding the
parser knows), whose entities were then expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring


class UnreadableXml(ValueError):
    """A file that is not XML we accept; the message is one line, fit for a report."""


def read_xml_root(path: Path) -> ElementTree.Element:
    """The root element of `path`; raises UnreadableXml for DTDs, entity declarations or broken XML."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableXml(f"cannot read: {error.strerror or error}") from None
    try:
        root: ElementTree.Element = fromstring(content, forbid_dtd=True)
    except DTDForbidden:
        raise UnreadableXml("refused: declares a DOCTYPE (entity expansion is not allowed)") from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise UnreadableXml("refused: declares an ENTITY (entity expansion is not allowed)") from None
    except ElementTree.ParseError as error:
        raise UnreadableXml(f"not well-formed XML: {error}") from None
    return root
