"""The parts of a plain-text press release: headline, dateline, paragraphs, sign-off.

Releases come in a few shapes: a headline line above the text or none; a dateline ("WASHINGTON, May 4, 2023
—") or none; a sign-off naming the publisher and the date of publication, as its own last line ("Source:
Kazinform, 15 March 2024") or glued to the last paragraph ("… in June 2022. ///nCa, 5 May 2023 (photo source –
MFA Turkmenistan)"); a collector's stamp "date 2023-05-05" in front. This module only cuts the text into
those parts; what the parts mean is for `draft_source` and `draft`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.drafts.dates import dates_in

_HEADER_DATE = re.compile(r"^\s*date:?\s+(?P<date>\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_BULLET = re.compile(r"^\s*(?:[-•*–—]|\d{1,2}[.)])\s+")
_GLUED_SIGNOFF = re.compile(r"\s*/{2,}\s*(?P<signoff>[^/]+)$")
_PHOTO_CREDIT = re.compile(
    r"\(\s*photo(?:\s+(?:source|credit))?\s*[–—:-]\s*(?P<credit>[^)]+)\)", re.IGNORECASE
)
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z .'’-]{1,30}?),\s*(?P<rest>.{4,40}?)\s*(?:\([^)]*\)\s*)?[–—]+\s*|^(?P<city2>[A-Z][A-Z .'’-]+?),\s*(?P<rest2>.{4,40}?)\s+--?\s+"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"])")
_ABBREVIATION = re.compile(r"(?:[A-Z]|(?:[A-Z]\.)+[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|Prof|Gen|Col|Lt)")
_LONGEST_HEADLINE = 150
_LONGEST_SIGNOFF = 160


@dataclass(frozen=True)
class ReleaseLayout:
    """A release cut into parts; `paragraphs` are the body, the lead first, each on one line."""

    headline: str
    paragraphs: list[str]
    signoff: str
    photo_credit: str
    header_date: str
    dateline_city: str
    dateline_date: str
    dateline: str
    """The dateline as written at the head of the lead paragraph ("WASHINGTON, May 4, 2023 — "), or ''."""

    @property
    def lead_text(self) -> str:
        """The lead paragraph without its dateline ('' for a release without text)."""
        return self.paragraphs[0][len(self.dateline) :] if self.paragraphs else ""


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    for block in _BLANK_LINE.split(text):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and all(_BULLET.match(line) for line in lines[1:]):
            paragraphs.append(" ".join(lines[0].split()))
            paragraphs.extend(" ".join(_BULLET.sub("", line).split()) for line in lines[1:])
        else:
            paragraphs.append(" ".join(" ".join(lines).split()))
    return paragraphs


def _is_signoff(paragraph: str) -> bool:
    if len(paragraph) > _LONGEST_SIGNOFF:
        return False
    if paragraph.lower().startswith("source:"):
        return True
    unbracketed = _PHOTO_CREDIT.sub("", paragraph).rstrip(" .")
    found = dates_in(unbracketed)
    return bool(found) and found[-1].text_end == len(unbracketed)


def _is_headline(block: str, paragraphs: list[str]) -> bool:
    return (
        len(paragraphs) > 1
        and "\n" not in block.strip()
        and len(paragraphs[0]) <= _LONGEST_HEADLINE
        and not paragraphs[0].endswith((".", ":", ";", "!", "?", ","))
    )


def cut_release(text: str) -> ReleaseLayout:
    """The parts of release `text`; parts it does not have are ''."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header = _HEADER_DATE.match(text)
    header_date = header["date"] if header else ""
    if header:
        text = text[header.end() :]
    first_block = _BLANK_LINE.split(text.strip(), maxsplit=1)[0]
    paragraphs = _paragraphs(text)

    signoff = ""
    if paragraphs:
        glued = _GLUED_SIGNOFF.search(paragraphs[-1])
        if glued:
            signoff = glued["signoff"].strip()
            paragraphs[-1] = paragraphs[-1][: glued.start()].strip()
            if not paragraphs[-1]:
                paragraphs.pop()
        elif len(paragraphs) > 1 and _is_signoff(paragraphs[-1]):
            signoff = paragraphs.pop()
    credit = _PHOTO_CREDIT.search(signoff)
    photo_credit = credit["credit"].strip() if credit else ""
    signoff = _PHOTO_CREDIT.sub("", signoff).strip()

    headline = ""
    if paragraphs and _is_headline(first_block, paragraphs):
        headline = paragraphs.pop(0)

    dateline_city = dateline_date = dateline_text = ""
    dateline = _DATELINE.match(paragraphs[0]) if paragraphs else None
    if dateline:
        found = dates_in(dateline["rest"] or dateline["rest2"])
        if found:
            dateline_city = (dateline["city"] or dateline["city2"]).strip().title()
            dateline_date = found[0].start
            dateline_text = dateline.group()
    return ReleaseLayout(
        headline, paragraphs, signoff, photo_credit, header_date, dateline_city, dateline_date, dateline_text
    )


def sentences(paragraph: str) -> list[str]:
    """The sentences of a one-line paragraph; initials and abbreviations ("Antony J. Blinken") do not end one."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(paragraph):
        word_before = paragraph[: end.start()].rsplit(" ", 1)[-1]
        if _ABBREVIATION.fullmatch(word_before):
            continue
        found.append(paragraph[start : end.start() + 1].strip())
        start = end.end()
    last = paragraph[start:].strip()
    return [*found, last] if last else found
