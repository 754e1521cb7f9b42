"""The kind of event a press release reports, from what its lead sentence says happened.

What happened wins over its setting: talks held during a working visit, a meeting on the sidelines of a summit
or a reception of a visiting minister are a meeting; a visit is the kind only when the lead reports nothing
but the journey ("arrived in Riyadh on an official visit"). A summit or conference named only as the setting
("on the margins of the UN Water Conference") is not the kind. This module reads words, never guesses: a lead
with none of them gives no kind, and the draft says so.
"""

from __future__ import annotations

import re

_SETTING = re.compile(
    r"\b(?:on|at)\s+the\s+(?:margins|sidelines|side-lines)\s+of\b[^,.;]*|\bpress conference\b", re.IGNORECASE
)
"""Where a meeting took place, not what it was: removed before the kind is read."""

_SIGNED = re.compile(r"\bsign(?:ed|ing|s)?\b", re.IGNORECASE)
_EARLIER_SIGNATURE = re.compile(r"(?:,|\b[A-Z][\w-]*)\s*$")
"""Before "signed by|in|on": a document signed earlier ("the Declaration, signed in June 2022"), not a signing."""

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "call",
        re.compile(
            r"\b(?:(?:tele)?phone (?:conversation|call|talks?)|phone|video ?(?:call|conference|link)|"
            r"spoke by (?:tele)?phone|calls?|telephoned)\b",
            re.IGNORECASE,
        ),
    ),
    ("consultation", re.compile(r"\bconsultations?\b", re.IGNORECASE)),
    ("summit", re.compile(r"\bsummit\b", re.IGNORECASE)),
    ("conference", re.compile(r"\bconference\b", re.IGNORECASE)),
    (
        "meeting",
        re.compile(
            r"\b(?:(?i:met|meets?|meeting|talks|received|receives|receiving|reception|hosted|hosts|audience|"
            r"negotiations)|Council|Dialogue|Ministerial)\b"
        ),
    ),
    (
        "visit",
        re.compile(r"\b(?:visit(?:s|ed|ing)?|arrived|arrives|departed|departs|travell?ed)\b", re.IGNORECASE),
    ),
)
"""Words that give the kind, strongest first (a signing is read apart, before consultations)."""

_SPOKE_WITH = re.compile(r"\bspoke\s+(?:\w+\s+){0,2}?with\b")
"""US readouts' "spoke today with": a call, unless the lead also says where they met."""

_KIND_NOUNS = {"consultations", "consultation", "summit", "conference", "visit", "meeting", "talks"}


def _is_signing(sentence: str) -> bool:
    for signed in _SIGNED.finditer(sentence):
        after = sentence[signed.end() : signed.end() + 4]
        if re.match(r"\s+(?:by|in|on)\b", after) and _EARLIER_SIGNATURE.search(sentence[: signed.start()]):
            continue
        return True
    return False


def _kind_of(text: str) -> tuple[str, str]:
    text = _SETTING.sub(" ", text)
    call = _CUES[0][1].search(text)
    if call and not re.match(r"calls?\s+(?:on|for|upon)\b", call.group() + text[call.end() : call.end() + 6]):
        return "call", "call"
    if _is_signing(text):
        return "signing", "signing"
    for kind, cue in _CUES[1:]:
        match = cue.search(text)
        if match:
            word = match.group().lower()
            return kind, word if word in _KIND_NOUNS else kind
    if _SPOKE_WITH.search(text):
        return "call", "call"
    return "", ""


def event_kind(first_sentence: str, headline: str) -> tuple[str, str]:
    """(kind, the word the text used for it) from the lead sentence, else the headline; ('', '') if neither."""
    for text in (first_sentence, headline):
        kind, word = _kind_of(text)
        if kind:
            if kind != "call" and text is first_sentence and _kind_of(headline)[0] == "call":
                return "call", "call"  # "Secretary Blinken's Call with …" above "spoke with …"
            return kind, word
    return "", ""
