"""Who published a press release, when, and where: the `source` of a draft event.

The publication date is not the event's date (a release of 5 May reports talks of 4 May), so it is read only
from the places that carry it: the sign-off ("nCa, 5 May 2023"), a collector's "date" stamp, or the dateline.
A URL is taken from the text, or for a few publishers that sign with a bare name, from the table below;
otherwise it is left out. What is missing is reported, not invented.
"""

from __future__ import annotations

import re

from store.drafts.dates import dates_in
from store.drafts.layout import ReleaseLayout

KNOWN_PUBLISHERS = {
    "nca": "https://www.newscentralasia.net/",
    "kazinform": "https://www.inform.kz/",
    "trend": "https://en.trend.az/",
    "tass": "https://tass.com/",
    "uzdaily": "https://www.uzdaily.uz/",
}
"""Home pages of news agencies that sign releases with their name alone (keys folded to lower case)."""

_URL = re.compile(r"https?://[^\s<>()\"“”]+[^\s<>()\"“”.,;:]")
_SOURCE_PREFIX = re.compile(r"^(?:source|published by|publisher)\s*:\s*", re.IGNORECASE)


def source_of(layout: ReleaseLayout, text: str) -> tuple[dict[str, str], list[str]]:
    """The `source` dict of the release and the notes on what could not be found."""
    unsure: list[str] = []
    name, published = "", ""
    if layout.signoff:
        found = dates_in(layout.signoff)
        if found:
            published = found[-1].start
            name = layout.signoff[: found[-1].text_start]
        else:
            name = layout.signoff
        name = _SOURCE_PREFIX.sub("", name).strip(" ,;:—–-")
    published = published or layout.header_date or layout.dateline_date
    source: dict[str, str] = {}
    if name:
        source["name"] = name
    else:
        unsure.append("source.name: the release is not signed")
    url = _URL.search(text)
    if url:
        source["url"] = url.group()
    elif name.lower() in KNOWN_PUBLISHERS:
        source["url"] = KNOWN_PUBLISHERS[name.lower()]
    if published:
        source["published"] = published
    else:
        unsure.append("source.published: no publication date in the release")
    return source, unsure
