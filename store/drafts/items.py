"""What a press release lists: agenda items, and documents signed or referred to (with their dates).

An agenda is read only where the release announces one ("the agenda … covered the following:") and lists it
item by item, so prose is never chopped into items. A document is a capitalised title around a kind of
document ("Declaration on …", "Memorandum of Understanding on …", "Open Skies Agreement", "Joint Comprehensive
Plan of Action", "Plan of Consultations … for 2024-2025"), or an item of a list the release introduces as
signed ("the parties signed:"). Its date is the one the text ties to the title ("…, signed … in June 2022",
"initialled in July 2022", "of 12 March 2021"); a document signed or adopted at the event ("the ministers
adopted the Joint Statement …", "today signed a Memorandum …") has the event's date; a document only
referred to has none.
"""

from __future__ import annotations

import re

from store.drafts.dates import dates_in
from store.drafts.places import country_of_city

_AGENDA_INTRO = re.compile(
    r"\bagenda\b[^.]*:\s*$|\bfollowing (?:issues|topics|questions|matters)\b[^.]*:\s*$", re.IGNORECASE
)
_SIGNED_LIST_INTRO = re.compile(
    r"\b(?:signed|adopted|concluded|exchanged|documents?|agreements)\b[^.]*:\s*$", re.IGNORECASE
)
_DOCUMENT_KIND = re.compile(
    r"(?<![\w-])(?:(?:Joint|Comprehensive|Final) )?(?:Declaration|Agreement|Memorandum|Treaty|Convention|"
    r"Protocol|Communiqu[ée]|Charter|Roadmap|Road Map|Accord|Action Plan|Plan of Action|Programme|Program|"
    r"Plan(?= (?:of|for) ))(?![\w-])|(?<![\w-])Joint Statement(?![\w-])"
)
_TITLE_CONNECTORS = {
    "on",
    "of",
    "between",
    "for",
    "in",
    "to",
    "and",
    "the",
    "with",
    "about",
    "regarding",
    "+",
}
_ORDINALS = set(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
)
_NOT_IN_TITLES = set(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday".split()
)
_DAY_AND_MONTH = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s+(?P<month>[A-Z][a-z]+)")
_WORD = re.compile(r"\s*(?P<word>[^\s,;:.()“”\"]+(?:\.(?=\w))?)")
_WORD_BEFORE = re.compile(r"(?P<word>[A-Z][\w’'+-]*|and)\s+$")
_NOT_BEFORE_TITLES = {"The", "A", "An", "This", "That", "These", "Both", "Following", "After"}
_TIED_DATE = re.compile(
    r"^\s*,?\s*(?:(?:which|that)\s+(?:was|were)\s+)?(?:signed|adopted|concluded|dated|approved|ratified|"
    r"initial(?:l)?ed|endorsed|of)\b[^.;]*$"
)
_AT_THE_EVENT = re.compile(
    r"\b(?:signed|sign|signing|adopted|adopt|approved|initial(?:l)?ed|concluded|endorsed|issued|exchanged)\b"
)
"""A verb before a title in its sentence: the document was signed or adopted at the event reported."""
_PARTICIPLE_AFTER = re.compile(r"\s+(?:on|in|by|at)\b")
_LONGEST_TIE = 90


def agenda_items(paragraphs: list[str]) -> list[str]:
    """The items listed after the first paragraph that announces an agenda, as written (no final ';' or '.')."""
    for index, paragraph in enumerate(paragraphs):
        if _AGENDA_INTRO.search(paragraph):
            return _list_after(paragraphs, index)
    return []


def _list_after(paragraphs: list[str], index: int) -> list[str]:
    items = []
    for item in paragraphs[index + 1 :]:
        if not (item[:1].islower() or item.endswith(";")):
            break
        items.append(item.rstrip(";.").strip())
        if item.endswith("."):
            break
    return items


def _title_start(text: str, start: int) -> int:
    """Where a title whose kind word stands at `start` begins: capitalised words before it belong to it
    ("Open Skies Agreement", "Enhanced Partnership and Cooperation Agreement")."""
    while True:
        word = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if word is None or word.end() != start or word["word"] in _NOT_BEFORE_TITLES:
            break
        start = word.start()
    while text[start:].startswith("and "):
        start += 4
    return start


def _title_end(text: str, start: int) -> int:
    """Where the document title starting at `start` ends: at punctuation, a lower-case word, "and the <kind>",
    or a date or a city after a connector ("… on March 1 in Astana")."""
    end = position = _DOCUMENT_KIND.match(text, start).end()  # type: ignore[union-attr]
    while True:
        word = _WORD.match(text, position)
        if not word:
            return end
        value = word["word"]
        if value in {"and", "the"} and _DOCUMENT_KIND.match(text, _skip_articles(text, word.end())):
            return end
        if value in _TITLE_CONNECTORS:
            following = _WORD.match(text, word.end())
            if following and _ends_title(value, following["word"], text, following.start("word")):
                return end
            position = word.end()
            continue
        if not (value[:1].isupper() or value[:1].isdigit() or value in _ORDINALS) or value in _NOT_IN_TITLES:
            return end
        end = position = word.end()


def _ends_title(connector: str, following: str, text: str, at: int) -> bool:
    """True when `connector` starts a date or a place, not more of a title: "on March 1", "on 14 May", "in
    Tashkent"."""
    if following in _NOT_IN_TITLES or (connector in {"in", "at"} and country_of_city(following) is not None):
        return True
    day_first = _DAY_AND_MONTH.match(text, at)
    return day_first is not None and day_first["month"] in _NOT_IN_TITLES


def _skip_articles(text: str, position: int) -> int:
    article = re.compile(r"\s*(?:the|a|an)\s+|\s*")
    return article.match(text, position).end()  # type: ignore[union-attr]


def _date_of(text: str, end: int, stop: int, reference: str | None) -> str:
    """The date the text ties to the title ending at `end` (before `stop`), or ''."""
    for found in dates_in(text[end:stop], reference=reference):
        tie = text[end : end + found.text_start]
        if len(tie) <= _LONGEST_TIE and _TIED_DATE.match(tie):
            return found.start
        break
    return ""


def _signed_at_the_event(text: str, start: int) -> bool:
    """True when a verb of signing stands before the title at `start` in its sentence, other than a
    participle of an earlier document ("the Treaty, signed on 3 October 2019, and the Agreement")."""
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start), 0)
    for verb in _AT_THE_EVENT.finditer(text, sentence_start, start):
        participle = _PARTICIPLE_AFTER.match(text, verb.end()) and re.search(
            r"(?:,|\b[A-Z][\w-]*)\s*$", text[max(0, verb.start() - 40) : verb.start()]
        )
        if not participle:
            return True
    return False


def _documents_in_text(text: str, reference: str | None, event_date: str) -> dict[str, dict[str, str]]:
    documents: dict[str, dict[str, str]] = {}
    kinds = list(_DOCUMENT_KIND.finditer(text))
    taken = 0
    for number, kind in enumerate(kinds):
        if kind.start() < taken:
            continue  # a kind word inside the title before ("… Plan of Action" in "Joint Comprehensive Plan …")
        end = _title_end(text, kind.start())
        start = _title_start(text, kind.start())
        title = text[start:end]
        bare = end == kind.end() and start == kind.start()
        if (
            bare and not (title.startswith("Joint ") and _signed_at_the_event(text, start))
        ) or title in documents:
            continue  # a bare "the Agreement" names nothing in particular; "adopted a Joint Statement" does
        taken = end
        document = {"title": title}
        next_kind = next((k.start() for k in kinds[number + 1 :] if k.start() >= end), len(text))
        sentence_end = re.search(r"[.;](?:\s|$)", text[end:])
        stop = min(next_kind, end + sentence_end.end() if sentence_end else len(text))
        date = _date_of(text, end, stop, reference)
        if not date and event_date and _signed_at_the_event(text, start):
            date = event_date
        if date:
            document["date"] = date
        documents[title] = document
    return documents


def documents_in(
    paragraphs: list[str], *, reference: str | None = None, event_date: str = ""
) -> list[dict[str, str]]:
    """The documents the release's `paragraphs` name, each once, with the date the text gives it; `reference`
    resolves dates without a year, `event_date` dates the documents signed at the event."""
    listed: dict[str, dict[str, str]] = {}
    for index, paragraph in enumerate(paragraphs):
        if _SIGNED_LIST_INTRO.search(paragraph):
            for item in _list_after(paragraphs, index):
                title = re.sub(r"^(?:the|a|an)\s+", "", item)
                listed[title] = {"title": title, "date": event_date} if event_date else {"title": title}
    found = _documents_in_text(" ".join(paragraphs), reference, event_date)
    found = {title: doc for title, doc in found.items() if not any(title in other for other in listed)}
    return [*listed.values(), *found.values()]
