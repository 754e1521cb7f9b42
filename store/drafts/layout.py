"""The parts of a plain-text press release: headline, dateline, paragraphs, sign-off.

Releases come in a few shapes: a headline line above the text or none; a dateline ("WASHINGTON, May 4, 2023
—", "Addis Ababa, 6 May 2024:", "Riyadh, March 10, 2024, SPA --", "ASTANA —", "Dushanbe, 10 April 2024.", or
a line of its own: "Brussels, 12.03.2024") or none; a spokesperson's attribution line ("The following is
attributable to Spokesperson …:"), which is not part of the text; a sign-off naming the publisher and the date of publication, as its own last line ("Source:
Kazinform, 15 March 2024") or glued to the last paragraph ("… in June 2022. ///nCa, 5 May 2023 (photo source –
MFA Turkmenistan)"); a collector's stamp "date 2023-05-05" in front. This module only cuts the text into
those parts; what the parts mean is for `draft_source` and `draft`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.drafts.dates import dates_in
from store.drafts.places import country_of_city

_HEADER_DATE = re.compile(r"^\s*date:?\s+(?P<date>\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_BULLET = re.compile(r"^\s*(?:[-•*–—]|\d{1,2}[.)])\s+")
_GLUED_SIGNOFF = re.compile(r"\s*/{2,}\s*(?P<signoff>[^/]+)$")
_PHOTO_CREDIT = re.compile(
    r"\(\s*photo(?:\s+(?:source|credit))?\s*[–—:-]\s*(?P<credit>[^)]+)\)", re.IGNORECASE
)
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z .'’-]{1,30}?)(?:,\s*(?P<rest>[^–—:]{4,40}?))?\s*(?:\([^)]{1,30}\)\s*)?"
    r"(?:[–—]+|--?|:|(?<=[\d)])\.)(?:\s+|$)"
)
"""City, then a date (and an agency) and a dash, colon or full stop; a city alone before a dash ("ASTANA —")."""
_DATELINE_LINE = re.compile(r"^(?P<city>[A-Z][A-Za-z .'’-]{1,30}?),\s*(?P<rest>.{4,40})$")
_ATTRIBUTION = re.compile(r"^the (?:following|below) is attributable to\b.{0,80}:$", re.IGNORECASE)
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
        if all(_BULLET.match(line) for line in lines):  # a list of its own below its introduction
            paragraphs.extend(" ".join(_BULLET.sub("", line).split()) for line in lines)
        elif len(lines) > 1 and all(_BULLET.match(line) for line in lines[1:]):
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
    if paragraphs and _dateline_line(paragraphs[0]) is None and _is_headline(first_block, paragraphs):
        headline = paragraphs.pop(0)
    paragraphs = [paragraph for paragraph in paragraphs if not _ATTRIBUTION.match(paragraph)]

    dateline_city = dateline_date = dateline_text = ""
    own_line = _dateline_line(paragraphs[0]) if len(paragraphs) > 1 else None
    if own_line:
        dateline_city, dateline_date = own_line
        paragraphs.pop(0)
    elif paragraphs:
        signed = dates_in(signoff) or dates_in(header_date)
        reference = signed[-1].start if signed and len(signed[-1].start) == 10 else None
        dateline_city, dateline_date, dateline_text = _dateline(paragraphs[0], reference)
    return ReleaseLayout(
        headline, paragraphs, signoff, photo_credit, header_date, dateline_city, dateline_date, dateline_text
    )


def _dateline(paragraph: str, reference: str | None) -> tuple[str, str, str]:
    """(city, date, the dateline as written) at the head of `paragraph`; ('', '', '') when it has none.
    `reference` (the sign-off's date) gives the year of a dateline without one ("TASHKENT, March 12 (UzA).")."""
    dateline = _DATELINE.match(paragraph)
    if dateline is None:
        return "", "", ""
    city = dateline["city"].strip()
    found = dates_in(dateline["rest"], reference=reference) if dateline["rest"] else []
    if found:
        return city.title(), found[0].start, dateline.group()
    if dateline["rest"] is None and country_of_city(city):
        return city.title(), "", dateline.group()
    return "", "", ""


def _dateline_line(paragraph: str) -> tuple[str, str] | None:
    """(city, date) of a paragraph that is only a dateline ("Brussels, 12.03.2024"), else None."""
    line = _DATELINE_LINE.match(paragraph)
    if line is None:
        return None
    found = dates_in(line["rest"])
    if not found or found[-1].text_end != len(line["rest"].rstrip(" .")):
        return None
    return line["city"].strip().title(), found[0].start


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
