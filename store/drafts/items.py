"""What a press release lists: agenda items, and documents signed or referred to (with their dates).

An agenda is read only where the release announces one ("the agenda … covered the following:") and lists it
item by item, so prose is never chopped into items. A document is a capitalised title that starts with a kind
of document ("Declaration on …", "Memorandum of Understanding on …", "Joint Declaration of the C5+1"); its
date is kept only when the text ties it to the title ("…, signed … in June 2022", "adopted … on 3 November
2015", "of 12 March 2021").
"""

from __future__ import annotations

import re

from store.drafts.dates import dates_in

_AGENDA_INTRO = re.compile(
    r"\bagenda\b[^.]*:\s*$|\bfollowing (?:issues|topics|questions|matters)\b[^.]*:\s*$", re.IGNORECASE
)
_DOCUMENT_KIND = re.compile(
    r"(?<![\w-])(?:(?:Joint|Comprehensive|Final) )?(?:Declaration|Agreement|Memorandum|Treaty|Convention|"
    r"Protocol|Communiqu[ée]|Charter|Roadmap|Road Map|Accord|Action Plan|Plan of Action|Programme|Program)"
    r"(?![\w-])|(?<![\w-])Joint Statement(?![\w-])"
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
_WORD = re.compile(r"\s*(?P<word>[^\s,;:.()“”\"]+(?:\.(?=\w))?)")
_TIED_DATE = re.compile(
    r"^\s*,?\s*(?:(?:which|that)\s+(?:was|were)\s+)?(?:signed|adopted|concluded|dated|approved|ratified|of)\b[^.;]*$"
)
_LONGEST_TIE = 90


def agenda_items(paragraphs: list[str]) -> list[str]:
    """The items listed after the first paragraph that announces an agenda, as written (no final ';' or '.')."""
    for index, paragraph in enumerate(paragraphs):
        if not _AGENDA_INTRO.search(paragraph):
            continue
        items = []
        for item in paragraphs[index + 1 :]:
            if not (item[:1].islower() or item.endswith(";")):
                break
            items.append(item.rstrip(";.").strip())
            if item.endswith("."):
                break
        return items
    return []


def _title_end(text: str, start: int) -> int:
    """Where the document title starting at `start` ends: at punctuation, a lower-case word, or "and the <kind>"."""
    end = position = _DOCUMENT_KIND.match(text, start).end()  # type: ignore[union-attr]
    while True:
        word = _WORD.match(text, position)
        if not word:
            return end
        value = word["word"]
        if value in {"and", "the"} and _DOCUMENT_KIND.match(text, _skip_articles(text, word.end())):
            return end
        if value in _TITLE_CONNECTORS:
            position = word.end()
            continue
        if not (value[:1].isupper() or value[:1].isdigit()):
            return end
        end = position = word.end()


def _skip_articles(text: str, position: int) -> int:
    article = re.compile(r"\s*(?:the|a|an)\s+|\s*")
    return article.match(text, position).end()  # type: ignore[union-attr]


def documents_in(text: str, *, reference: str | None = None) -> list[dict[str, str]]:
    """The documents `text` names, each once, with a date where the text ties one to the title."""
    documents: dict[str, dict[str, str]] = {}
    kinds = list(_DOCUMENT_KIND.finditer(text))
    for number, kind in enumerate(kinds):
        end = _title_end(text, kind.start())
        title = text[kind.start() : end]
        if end == kind.end() or title in documents:
            continue  # a bare "the Agreement" names nothing in particular
        document = {"title": title}
        next_kind = kinds[number + 1].start() if number + 1 < len(kinds) else len(text)
        sentence_end = re.search(r"[.;](?:\s|$)", text[end:])
        stop = min(next_kind, end + sentence_end.end() if sentence_end else len(text))
        for found in dates_in(text[end:stop], reference=reference):
            tie = text[end : end + found.text_start]
            if len(tie) <= _LONGEST_TIE and _TIED_DATE.match(tie):
                document["date"] = found.start
            break
        documents[title] = document
    return list(documents.values())
