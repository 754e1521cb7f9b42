"""Which real person each mention is: the resolution layer above the people the index keeps as written.

`store.entities.people` keeps the facts: every mention grouped by its transliteration key and country, with its
spellings, roles and events. This module decides which of those groups are one real person and never changes
them, so that a persistent index can store facts only and the resolution can be recomputed from them.

How mentions become persons (each rule is a kind of error seen on real records):

- A name is read as: honorifics and titles (President, Sheikh, Dr, Crown Prince …) dropped into the role;
  a royal rank (king, crown prince, emir …) kept as identity, so a king and a crown prince of one name stay
  apart; regnal numbers and generational markers (XII, II, Jr) kept as identity, so Pius XII is not Pius XI;
  particles (de, al, bin …) kept with the surname; then a given name, middle names and a surname.
- Mentions are compared only within a block: the same surname key (`store.model.names`), surnames of five
  letters or more one letter apart (Reinfeldt / Reingeldt), or a two-word name whose words are swapped (Abe
  Shinzo / Shinzo Abe). Countries must agree when both are known.
- Full names join the fullest name of a person when their given names agree (the same key, a looser key
  that forgives vowels and the g/h of Russian transliteration: Heydar / Geidar, Mohammed / Mohammad; a
  known short form: Bill / William; a genitive form: Tsakhia / Tsakhiagiin; one letter slipped in a long
  name: Moncef / Moncel; an initial) and their middle names agree or are some of the other's (Antony
  Blinken / Antony John Blinken, Daniel arap Moi / Daniel T. arap Moi; but George W. Bush ≠ George H.W.
  Bush: initials are deliberate), or when the shorter leaves out the first given name (Boni Yayi / Thomas
  Boni Yayi; never in a name built from a lineage: Khalifa al-Thani is Hamad bin Khalifa al-Thani's
  father). Names with fewer or more middle names must have events within a generation of each other
  (Seretse Khama 1969 is not Seretse Khama Ian Khama 2009). A name with no middle name or marker that fits
  two fuller persons stays apart.
- A surname-only mention (Mubarak) joins a full-name person event by event, only when exactly one person of
  the block fits: same country where known, no conflicting rank or marker (a crown prince who later reigns
  is one person: his events come before the sovereign's), and that event's date within a few years of
  that person's other events, or within a spell out of office when only that one person is that close. So
  "Bush" in 2006 is George W. Bush and in 1990 George H.W. Bush; a father and a son, or namesakes decades
  apart, stay apart; a mention that fits several stays on its own, marked ambiguous. The rest of the
  mention's stretch of events follows, but not what comes long before the person's first event (Assad in
  1973 is not Bashar al-Assad). A monarch's name without its number after the one numbered monarch of that
  name first appears is that monarch (Prince Rainier / Rainier III). A compound surname alone (Lula da
  Silva, Salinas de Gortari) and, where names carry two surnames, both surnames alone (Cavaco Silva) are
  read as surname-only mentions.
- A participant's country is only ever what the record says; nothing here infers it (from a host city or
  anywhere else).

Recomputed incrementally: the index tells `touch` which groups an event added or removed; only their blocks
are resolved again, on the next question, and within a block only what those groups can change: a block's
full-name clusters are kept with what they read (`_Stage`) and stand while the touched groups read the same
(a changed file names the same people on the same day; a surname alone never changes a cluster), so only
the touched surname-only groups are resolved again against them. Reasons are written in words when asked.
Which block a group is in, and how its name is read, depend only on the groups present now (the blocks of
`store.entities.surname_blocks`; the main role now), so that the answers are the same whatever order the
events came in and whatever came and went before.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from store.entities.people import People, Person, PersonKey
from store.entities.surname_blocks import SurnameBlocks, one_letter_forms
from store.model.names import name_key

_HONORIFICS = {
    name_key(word)
    for word in (
        "president vice prime minister foreign premier chancellor chairman secretary general gen marshal "
        "brigadier captain commander commodore ambassador deputy "
        "field admiral colonel col major lt lieutenant sir dr mr mrs ms madame mme madam his her their "
        "majesty highness royal excellency hon honorable honourable rt right reverend rev father "
        "ayatollah imam haji hajji sheikh sheik shaikh sayyid lord lady dame baron count baroness "
        "viscount earl archbishop cardinal bishop senor senora herr frau monsieur the state of elect "
        "governor regent hadj tun datuk dato"
    ).split()
}
"""Words that say what a person is, not who: dropped from the name (the role says them)."""

_RANKS = {
    **{
        name_key(word): "sovereign"
        for word in "king queen emir amir sultan shah emperor empress tsar".split()
    },
    **{name_key(word): word for word in "prince princess pope".split()},
}
"""Royal ranks: identity, since a king and a crown prince of one name are two people. A sovereign's title
changes with the state (Bahrain's emir became its king), so the sovereign ranks are one."""

SURNAME_FIRST = frozenset("CN TW HK MO KR KP VN HU SG KH".split())
"""Countries whose records often write the surname first (Deng Xiaoping, then Deng)."""

TWO_SURNAMES = frozenset("ES PT BR MX AR CL CO PE VE UY PY BO EC CR PA NI HN SV GT CU DO".split())
"""Countries whose names carry two surnames, the father's first (Aníbal Cavaco Silva): records write the
person with the first alone (Anibal Antonio Cavaco) or with both alone (Cavaco Silva)."""

SEGMENT_GAP_DAYS = 10 * 366
"""A surname with no events for this long is two people (Alessandri 1934 and 1962, Somoza 1939 and 1952):
longer than a spell out of office (Menzies 1941 and 1950), shorter than a generation."""

FULL_NAME_GAP_DAYS = 2 * SEGMENT_GAP_DAYS
"""Two full names of one surname whose names before it differ only by names left out (Daniel arap Moi /
Daniel T. arap Moi) are one person when their events are at most this far apart, a generation when they are
further (Seretse Khama 1969 is not his son Seretse Khama Ian Khama in 2009)."""

_PARTICLES = {
    name_key(word)
    for word in "de da di du del della des van von der den al el bin ibn ben abu bint la le".split()
}

_LINEAGE = {name_key(word) for word in "al el bin ibn ben abu bint binti ould".split()}
"""Particles of a name built from a lineage (Hamad bin Khalifa al-Thani: Hamad, son of Khalifa): its first
name is the person's own and never dropped (Khalifa al-Thani is the father)."""

_ROMAN = re.compile(r"^(?=[ivxl]+$)(x{0,3}|xl|l)(ix|iv|v?i{0,3})$")
_MARKERS = {"jr", "sr", "junior", "senior", "2nd", "3rd", "4th"}

_SHORT_FORMS = {
    name_key(short): name_key(full)
    for short, full in (
        ("bill", "william"),
        ("will", "william"),
        ("bob", "robert"),
        ("rob", "robert"),
        ("jim", "james"),
        ("jimmy", "james"),
        ("mike", "michael"),
        ("tony", "antony"),
        ("anthony", "antony"),
        ("dick", "richard"),
        ("rick", "richard"),
        ("tom", "thomas"),
        ("joe", "joseph"),
        ("dan", "daniel"),
        ("dave", "david"),
        ("ed", "edward"),
        ("ted", "edward"),
        ("chuck", "charles"),
        ("charlie", "charles"),
        ("al", "albert"),
        ("alex", "alexander"),
        ("sasha", "alexander"),
        ("nick", "nicholas"),
        ("nicolas", "nicholas"),
        ("steve", "stephen"),
        ("steven", "stephen"),
        ("ben", "benjamin"),
        ("benyamin", "benjamin"),
        ("fred", "frederick"),
        ("jack", "john"),
        ("johnny", "john"),
        ("hank", "henry"),
        ("larry", "lawrence"),
        ("pat", "patrick"),
        ("sam", "samuel"),
        ("andy", "andrew"),
        ("jerry", "gerald"),
        ("liz", "elizabeth"),
        ("kate", "catherine"),
        ("peggy", "margaret"),
        ("maggie", "margaret"),
        ("jose", "joseph"),
        ("wim", "willem"),
        ("kostas", "konstantinos"),
        ("costas", "konstantinos"),
    )
}
"""Short forms of given names: compared as the full form."""

LONG_GIVEN_NAME = 6
"""Given names this long that differ by one letter are one name misspelt; shorter ones are often two names
(Imata and Amata Kabua, Dalia and Galia)."""

SPAN_MARGIN_DAYS = 3 * 366
"""A surname-only mention fits a person whose other events are at most this far from it: long enough for a
term of office, short enough to tell a father from a son."""


@functools.lru_cache(maxsize=1 << 16)
def _loose(word: str) -> str:
    """A given name with the letters transliteration varies most forgiven: vowels after the first letter,
    and an initial g or h (Russian writes h as г): Heydar / Geidar, Mohammed / Muhammad."""
    word = _SHORT_FORMS.get(word, word)
    head, tail = word[:1], re.sub(r"[aeiouy]", "", word[1:]).replace("d", "t")
    return ("h" if head == "g" else head) + tail


@dataclass(frozen=True, slots=True)
class ParsedName:
    given: str
    middles: tuple[str, ...]
    surname: str
    marker: str
    rank: str
    joined: str = ""
    """Every word before the surname, particles too, run together (Hassan al / Hassanal)."""
    middles_joined: str = ""
    """The words between the given name and the surname, particles too, run together (bin Abd al Aziz /
    bin Abdulaziz)."""
    lineage: bool = False
    """The name is built from a lineage (`_LINEAGE`)."""

    @property
    def surname_only(self) -> bool:
        return not self.given

    @property
    def forenames(self) -> tuple[str, ...]:
        return (self.given, *self.middles) if self.given else ()


def parse_name(key: str, role: str = "") -> ParsedName:
    """A name key read as given name, middle names, surname, marker and royal rank (the role may give the
    rank: a 'King' role with the name 'Hussein')."""
    words = key.split()
    rank = _role_rank(role)
    kept: list[str] = []
    marker = ""
    crown = False
    for position, word in enumerate(words):
        if word == "crown":
            crown = True
            continue
        if word in _RANKS and position < len(words) - 1:
            rank = _RANKS[word]
            continue
        if word in _HONORIFICS and position < len(words) - 1:
            continue
        last = position == len(words) - 1
        if (_ROMAN.match(word) and kept and (len(word) > 1 or last)) or word in _MARKERS:
            marker = word
            continue
        kept.append(word)
    if crown:
        rank = "crown prince"
    if not kept:
        kept = words[-1:]
    if not kept:  # a name with no letters or digits (emoji, punctuation): its own person
        return ParsedName("", (), "", marker, rank)
    surname_words = [kept[-1]]
    while len(kept) > len(surname_words) and kept[-1 - len(surname_words)] in _PARTICLES:
        surname_words.insert(0, kept[-1 - len(surname_words)])
    rest = kept[: len(kept) - len(surname_words)]
    while rest and rest[0] in _PARTICLES:  # El Hadj Omar Bongo
        rest = rest[1:]
    given = rest[0] if rest else ""
    middles = tuple(word for word in rest[1:] if word not in _PARTICLES)
    joined = "".join(rest + surname_words[:-1])
    lineage = any(word in _LINEAGE for word in kept[:-1])
    return ParsedName(given, middles, surname_words[-1], marker, rank, joined, "".join(rest[1:]), lineage)


@functools.lru_cache(maxsize=4096)
def _role_rank(role: str) -> str:
    """The royal rank a role names ('' for none); roles are few, so each is read once."""
    words = name_key(role).split()
    if "crown" in words:
        return "crown prince"
    return next((_RANKS[word] for word in reversed(words) if word in _RANKS), "")


@functools.lru_cache(maxsize=1 << 18)
def _given_agree(first: str, second: str, initials: bool = True) -> bool:
    """One given name in two spellings: the same key, a short form, a looser key (`_loose`), the genitive
    or patronymic form of it (Tsakhia / Tsakhiagiin: the longer starts with the shorter, five letters or
    more), a slip of one letter in a long name (`LONG_GIVEN_NAME`: Moncef / Moncel, Rodriguez /
    Rodriquez), or (`initials`) its initial."""
    if first == second or _SHORT_FORMS.get(first, first) == _SHORT_FORMS.get(second, second):
        return True
    if len(first) == 1 or len(second) == 1:
        return initials and first[:1] == second[:1]
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 5 and longer.startswith(shorter):
        return True
    if (
        len(shorter) >= LONG_GIVEN_NAME
        and first[0] == second[0]
        and not one_letter_forms(first).isdisjoint(one_letter_forms(second))
    ):
        return True
    return len(first) > 2 and len(second) > 2 and _loose(first) == _loose(second)


def _within(shorter: tuple[str, ...], longer: tuple[str, ...], initials: bool) -> bool:
    """Every name of `shorter` agrees with one of `longer`, in order (the rest of `longer` left out)."""
    position = 0
    for word in shorter:
        while position < len(longer) and not _given_agree(word, longer[position], initials):
            position += 1
        if position == len(longer):
            return False
        position += 1
    return True


def _middles_agree(first_name: ParsedName, second_name: ParsedName) -> bool:
    """Middle names agree when one has none, when they agree one by one, run together with their particles
    (bin Abd al Aziz / bin Abdulaziz), or when one's are some of the other's (Daniel arap Moi / Daniel T.
    arap Moi) unless both carry initials, which are deliberate (George W. Bush is not George H.W. Bush)."""
    first, second = first_name.middles, second_name.middles
    if not first or not second:
        return True
    if len(first) == len(second) and all(_given_agree(a, b) for a, b in zip(first, second, strict=True)):
        return True
    joined_first, joined_second = first_name.middles_joined, second_name.middles_joined
    if min(len(joined_first), len(joined_second)) > 3 and _loose(joined_first) == _loose(joined_second):
        return True
    shorter, longer = sorted((first, second), key=len)
    if any(len(word) == 1 for word in shorter) and any(len(word) == 1 for word in longer):
        return False
    return len(shorter) < len(longer) and _within(shorter, longer, initials=True)


def _forenames_agree(first: ParsedName, second: ParsedName) -> bool:
    """The names before the surname can be one person's: given and middle names agree; or, run together,
    they are one name (Hassan al / Hassanal); or the shorter leaves out the first given name of the longer
    (Boni Yayi / Thomas Boni Yayi, Nawaz Sharif / Mohamed Nawaz Sharif), by whole names only and never in a
    name built from a lineage, whose first name is the person's own."""
    if _given_agree(first.given, second.given) and _middles_agree(first, second):
        return True
    if _joined_agree(first, second):
        return True
    shorter, longer = sorted((first, second), key=lambda parsed: len(parsed.forenames))
    if not shorter.forenames or longer.lineage or len(shorter.forenames) >= len(longer.forenames):
        return False
    return _within(shorter.forenames, longer.forenames[1:], initials=False)


def _countries_agree(first: Person, second: Person) -> bool:
    return not first.key[1] or not second.key[1] or first.key[1] == second.key[1]


def _ranks_agree(first: ParsedName, second: ParsedName) -> bool:
    return not first.rank or not second.rank or first.rank == second.rank


def _joined_agree(first: ParsedName, second: ParsedName) -> bool:
    return min(len(first.joined), len(second.joined)) >= 5 and _loose(first.joined) == _loose(second.joined)


def _same_forenames(first: ParsedName, second: ParsedName) -> bool:
    """The same names before the surname, each in some spelling or as its initial (F. W. / Frederik Willem,
    Olesegun / Olusegun): one person however far apart their events are, where a name with fewer or more
    middle names could be a father's or a son's."""
    if not first.given or not second.given:
        return False
    if len(first.forenames) == len(second.forenames) and all(
        _given_agree(a, b) for a, b in zip(first.forenames, second.forenames, strict=True)
    ):
        return True
    return _joined_agree(first, second)


def _letters(parsed: ParsedName) -> set[str]:
    """The first letters of a name's forenames, as written and as their full forms (Bill: b and w), g read as
    h: two names can agree (`_forenames_agree`) only if they share one, so a name is compared with the few
    clusters that do ('' for a name with no forenames, which agrees only with another such)."""
    if not parsed.given:
        return {""}
    letters = set()
    for word in parsed.forenames:
        for form in (word, _SHORT_FORMS.get(word, word)):
            letters.add("h" if form[:1] == "g" else form[:1])
    return letters


def _markers_agree(first: ParsedName, second: ParsedName) -> bool:
    """The same marker, or one name written without the other's (Benigno Aquino / Benigno S. Aquino 3rd):
    a name that fits two marked persons (Jr and III) fits two clusters and stays apart."""
    return first.marker == second.marker or not first.marker or not second.marker


def full_names_agree(first: ParsedName, second: ParsedName) -> bool:
    """Two full names can be one person (given names, middle names, marker and rank agree)."""
    return _forenames_agree(first, second) and _markers_agree(first, second) and _ranks_agree(first, second)


@dataclass(slots=True)
class _Cluster:
    members: list[PersonKey]
    parsed: list[ParsedName]
    low: int = 0
    high: int = 0
    surname_first: bool = False


@dataclass(frozen=True, slots=True)
class _Why:
    """Why a group was merged: the persons it went to, and how (`PersonResolution.reason` writes it in words
    when asked, with the names as they are then, instead of writing thousands of names per change)."""

    surname_only: bool
    targets: tuple[PersonKey, ...]


@dataclass(slots=True)
class _Stage:
    """What a block's full names made (`PersonResolution._full_names`), kept with everything it read
    (`read`: each member's key, parsed name and blocks, and for all but surname-only mentions its number of
    events and span; a surname alone is left out, it never changes a cluster), and each surname-only mention's events as resolved (`splits`: (key, paternal) → its
    docnos then, its events' persons and whether it was unsure), kept while its docnos are the same."""

    read: dict[PersonKey, tuple[object, ...]]
    members: set[PersonKey] = field(default_factory=set)
    links: int = 0
    """The block's groups, and `PersonResolution._links`, when it was last resolved."""
    surname_only: dict[PersonKey, tuple[str, bool]] = field(default_factory=dict)
    """The surname-only mentions resolved against the clusters: key → (first word of a compound surname,
    two surnames alone)."""
    clusters: list[_Cluster] = field(default_factory=list)
    ambiguous: set[PersonKey] = field(default_factory=set)
    paternal: list[tuple[PersonKey, str, bool]] = field(default_factory=list)
    """The names read as two surnames alone (Cavaco Silva), as `_resolve` lists the surname-only mentions:
    (key, '', True)."""
    splits: dict[tuple[PersonKey, bool], tuple[bytes, dict[int, PersonKey], bool]] = field(
        default_factory=dict
    )


@dataclass(slots=True)
class Resolution:
    """The answer for one block: group → person (its representative key), with reasons, and for surname-only
    groups the events that went to a full-name person."""

    person_of: dict[PersonKey, PersonKey] = field(default_factory=dict)
    by_event: dict[PersonKey, dict[int, PersonKey]] = field(default_factory=dict)
    reasons: dict[PersonKey, _Why] = field(default_factory=dict)
    ambiguous: set[PersonKey] = field(default_factory=set)


class PersonResolution:
    """Mention groups → persons, kept up to date block by block as events come and go."""

    def __init__(self, people: People, day_of: Callable[[np.ndarray], np.ndarray]) -> None:
        self._people = people
        self._day_of = day_of
        self._blocks: dict[str, set[PersonKey]] = {}
        self._block_of: dict[PersonKey, tuple[str, ...]] = {}
        self._parsed: dict[PersonKey, ParsedName] = {}
        self._dirty: set[str] = set()
        self._answers: dict[str, Resolution] = {}
        self._stages: dict[str, _Stage] = {}
        self._touched: dict[str, set[PersonKey]] = {}
        """Each dirty block's groups that events came to or went from since it was last resolved."""
        self._links = 0
        """How many times blocks were joined (`_link_surname`): a kept stage read the blocks of that time."""
        """Each block's full-name clusters with what they were made from (`_Stage`), for the next time it
        is resolved."""
        self._person_of: dict[PersonKey, PersonKey] = {}
        self._by_event: dict[PersonKey, dict[int, PersonKey]] = {}
        self._reasons: dict[PersonKey, _Why] = {}
        self._ambiguous: set[PersonKey] = set()
        self._spans: dict[PersonKey, tuple[int, int]] = {}
        """Each group's first and last day (ordinal), kept until an event of the group comes or goes."""
        self._surnames = SurnameBlocks()
        """The block each surname (or given name, for order swaps) is compared in, from the full names
        present now."""
        self.version = 0
        """Grows whenever an answer may have changed (derived tables key on it)."""
        self._changed: set[PersonKey] = set()
        """The keys whose facts (`touch`), answers (`_refresh`) or alias join changed since `resolved` last
        brought the persons up to date."""
        self._resolved: ResolvedPersons | None = None

    # -- keeping up with the facts ----------------------------------------------------------------------

    def touch(self, keys: Iterable[PersonKey]) -> None:
        """The groups an added or removed event named: their blocks are resolved again when next asked.
        Each is read again (its name with its main role now, which may give it a rank), so that what a
        group is read as depends on its facts now, not on the event that brought it."""
        persons = self._people.persons
        changed = self._changed if self._resolved is not None else set()  # none to keep up to date yet
        for key in keys:
            changed.add(key)
            self._spans.pop(key, None)
            person = persons.get(key)
            parsed = None if person is None else parse_name(key[0], _main_role(person))
            was = self._parsed.get(key)
            blocks = self._block_of.get(key, ())
            if parsed != was:
                if was is not None:
                    self._leave(key, was)
                if parsed is not None:
                    self._enter(key, parsed)
                blocks = (*blocks, *self._block_of.get(key, ()))
            for block in blocks:
                self._dirty.add(block)
                self._touched.setdefault(block, set()).add(key)
        self.version += 1

    def _enter(self, key: PersonKey, parsed: ParsedName) -> None:
        self._parsed[key] = parsed
        if parsed.given:
            self._reblock(self._surnames.add(parsed.surname))
        blocks = self._block_of[key] = self._blocks_of(parsed)
        for block in blocks:
            self._blocks.setdefault(block, set()).add(key)

    def _leave(self, key: PersonKey, parsed: ParsedName) -> None:
        for block in self._block_of.pop(key):
            self._blocks[block].discard(key)
        del self._parsed[key]
        if parsed.given:
            self._reblock(self._surnames.remove(parsed.surname))

    def _block(self, word: str) -> str:
        """The block a surname (or a given name, for order swaps) is compared in."""
        return self._surnames.block(word)

    def _blocks_of(self, parsed: ParsedName) -> tuple[str, ...]:
        if parsed.given and not parsed.middles:
            return tuple(dict.fromkeys((self._block(parsed.surname), self._block(parsed.given))))
        return (self._block(parsed.surname),)

    def _reblock(self, names: set[str]) -> None:
        """Move the groups of blocks that surnames joined or split (`names`: what they were called) to the
        blocks they are in now; every block they leave or enter is resolved again."""
        if not names:
            return
        self._links += 1
        moving = set().union(*(self._blocks.get(name, ()) for name in names))
        for member in moving:
            for block in self._block_of[member]:
                self._blocks[block].discard(member)
                self._dirty.add(block)
            blocks = self._block_of[member] = self._blocks_of(self._parsed[member])
            for block in blocks:
                self._blocks.setdefault(block, set()).add(member)
                self._dirty.add(block)
        self._dirty.update(names)

    def refresh(self) -> None:
        """Resolve the blocks changed since the last question now (questions do it anyway)."""
        self._refresh()

    def _refresh(self) -> None:
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        affected: set[PersonKey] = set()
        for block in dirty:
            touched = self._touched.pop(block, set())
            old = self._answers.pop(block, None)
            members = self._blocks.get(block)
            stage = self._stages.get(block)
            if old is not None and members and stage is not None and self._stands(stage, members, touched):
                # the clusters stand: only the surname-only groups that were touched are resolved again
                affected.update(self._redo_surname_only(stage, old, touched))
                self._answers[block] = old
                continue
            if not members:
                if old is not None:
                    affected.update(old.person_of, old.by_event, old.ambiguous)
                self._blocks.pop(block, None)
                self._stages.pop(block, None)
                continue
            new = self._answers[block] = self._resolve(block, members)
            affected.update(members if old is None else _answered_otherwise(old, new, members))
        if self._resolved is not None:
            self._changed.update(affected)
        for key in affected:
            self._person_of.pop(key, None)
            self._by_event.pop(key, None)
            self._reasons.pop(key, None)
            self._ambiguous.discard(key)
            for block in self._block_of.get(key, ()):
                answer = self._answers.get(block)
                if answer is None:
                    continue
                if key in answer.person_of and key not in self._person_of:
                    self._person_of[key] = answer.person_of[key]
                    self._reasons[key] = answer.reasons[key]
                if key in answer.by_event and key not in self._by_event:
                    self._by_event[key] = answer.by_event[key]
                    self._reasons[key] = answer.reasons[key]
                if key in answer.ambiguous:
                    self._ambiguous.add(key)

    def _final(self, key: PersonKey, read: set[PersonKey] | None = None) -> PersonKey:
        """Follow merges to the end (an alias join, or a head merged in another block), never looping.
        `read`, when given, gets every key the answer depends on: the key, its root (a key whose group is
        joined, split or filed anew is touched: `People.take_regrouped`) and each key the merges pass
        through."""
        if read is not None:
            read.add(key)
        key = self._people.root(key)
        seen = {key}
        while key in self._person_of and self._person_of[key] not in seen:
            key = self._person_of[key]
            seen.add(key)
        if read is not None:
            read.update(seen)
        return key

    # -- answers -----------------------------------------------------------------------------------------

    def person_of(self, key: PersonKey, docno: int) -> PersonKey:
        """The person a mention of group `key` in event `docno` is (a representative group key)."""
        self._refresh()
        key = self._people.root(key)
        split = self._by_event.get(key)
        if split is not None and docno in split:
            return self._final(split[docno])
        return self._final(key)

    def persons_of_group(self, key: PersonKey) -> set[PersonKey]:
        """Every person the mentions of group `key` are (a surname-only group may be several)."""
        self._refresh()
        key = self._people.root(key)
        split = self._by_event.get(key)
        if split is None:
            return {self._final(key)}
        found = {self._final(target) for target in split.values()}
        group = self._people.persons.get(key)
        if group is not None and len(split) < len(group.docnos):
            found.add(self._final(key))
        return found

    def persons_of(self, keys: Iterable[PersonKey], docno: int) -> tuple[PersonKey, ...]:
        return tuple(dict.fromkeys(self.person_of(key, docno) for key in keys))

    def reason(self, key: PersonKey) -> str:
        """Why a group was merged into another person ('' when it was not)."""
        self._refresh()
        why = self._reasons.get(key)
        persons = self._people.persons
        if why is None or key not in persons:
            return ""
        names = sorted(persons[target].name for target in why.targets if target in persons)
        if not names:
            return ""
        if why.surname_only:
            return f"{persons[key].name} → {', '.join(names)}: surname only, the one person it fits at those dates"
        return f"{persons[key].name} → {names[0]}: same surname, given names agree"

    def is_ambiguous(self, key: PersonKey) -> bool:
        self._refresh()
        return key in self._ambiguous

    def persons(self) -> dict[PersonKey, list[tuple[Person, np.ndarray | None]]]:
        """Every person: its groups (by key), each with the events of it that belong to the person (None:
        all). A new dict each time; its lists are never changed afterwards."""
        return dict(self.resolved().parts)

    def resolved(self) -> ResolvedPersons:
        """Every person's groups and events, brought up to date with what changed since last asked: only the
        groups a change touched, whose answers it changed, or whose merges pass through those are read
        again (`ResolvedPersons`)."""
        self._refresh()
        if self._resolved is None:
            self._resolved = ResolvedPersons(self)
        else:
            self._resolved.update()
        return self._resolved

    # -- one block ---------------------------------------------------------------------------------------

    def _resolve(self, block: str, members: set[PersonKey]) -> Resolution:
        """The block's answer: full names clustered (`_full_names`), then each surname-only mention resolved
        event by event against the clusters (`_surname_only`). Each stage is kept with what it read
        (`_Stage`) and done again only when that changed: a changed file names the same people on the same
        day, so its blocks' clusters stand and only the surname-only groups whose events changed are
        resolved again; an arrival that names someone by surname alone redoes that one group."""
        persons = self._people.persons
        pairs = {
            (self._block(parsed.given), self._block(parsed.surname))
            for parsed in (self._parsed[key] for key in members)
        }
        home = [key for key in members if self._home(key, block, pairs)]
        compounds = self._compound_surnames(home, block)
        singles = {
            key
            for key in home
            if (self._parsed[key].surname_only and not self._parsed[key].marker) or key in compounds
        }
        read = {  # a surname alone (no given name, no marker) is never part of a cluster
            key: (
                parsed,
                self._block(parsed.given),
                self._block(parsed.surname),
                *(() if key in singles else (len(persons[key].docnos), self._span(key))),
            )
            for key, parsed in ((key, self._parsed[key]) for key in members)
            if parsed.given or parsed.marker or key in compounds
        }
        stage = self._stages.get(block)
        if stage is None or stage.read != read:
            stage = self._stages[block] = self._full_names(block, members, home, compounds, singles, read)
        surname_only = [(key, compounds.get(key, ""), False) for key in singles]
        surname_only += stage.paternal
        stage.members, stage.links = set(members), self._links
        stage.surname_only = {key: (compound, paternal) for key, compound, paternal in surname_only}
        answer = Resolution(ambiguous=set(stage.ambiguous))
        for cluster in stage.clusters:
            head = cluster.members[0]
            for member in cluster.members[1:]:
                answer.person_of[member] = head
                answer.reasons[member] = _Why(False, (head,))
        for key, compound, paternal in surname_only:
            docnos = bytes(persons[key].docnos)
            kept = stage.splits.get((key, paternal))
            if kept is None or kept[0] != docnos:
                kept = stage.splits[(key, paternal)] = (
                    docnos,
                    *self._surname_only(key, stage.clusters, compound, paternal),
                )
            self._write_surname_only(key, kept[1], kept[2], answer)
        return answer

    def _full_names(
        self,
        block: str,
        members: set[PersonKey],
        home: list[PersonKey],
        compounds: dict[PersonKey, str],
        singles: set[PersonKey],
        read: dict[PersonKey, tuple[object, ...]],
    ) -> _Stage:
        """The clusters of the block's full names (and of the names written surname first), and the
        surname-only mentions left to resolve against them."""
        persons = self._people.persons
        home = sorted(
            home,
            key=lambda key: (
                -len(self._parsed[key].middles),
                not self._parsed[key].marker,
                -len(persons[key].docnos),
                key,
            ),
        )
        stage = _Stage(read)
        clusters = stage.clusters
        by_letter: dict[str, list[int]] = {}
        """The clusters whose head has a forename starting so (`_letters`): the only ones a name can join."""
        spans = {key: self._span(key) for key in members if key not in singles}
        for key in home:
            if key in singles:  # a monarch's number is a name; resolved against the clusters (`_resolve`)
                continue
            parsed = self._oriented(key, block)
            fits = [
                cluster
                for cluster in (
                    clusters[at]
                    for at in sorted(set().union(*(by_letter.get(x, ()) for x in _letters(parsed))))
                )
                if full_names_agree(parsed, cluster.parsed[0])
                and all(
                    _markers_agree(parsed, other)
                    and _countries_agree(persons[key], persons[member])
                    and (
                        _same_forenames(parsed, other) or _near(spans[key], spans[member], FULL_NAME_GAP_DAYS)
                    )
                    for member, other in zip(cluster.members, cluster.parsed, strict=True)
                )
            ]
            if len(fits) == 1:
                fits[0].members.append(key)
                fits[0].parsed.append(parsed)
            else:
                if len(fits) > 1:
                    stage.ambiguous.add(key)
                for letter in _letters(parsed):
                    by_letter.setdefault(letter, []).append(len(clusters))
                clusters.append(_Cluster([key], [parsed]))
        for cluster in clusters:
            cluster.low = min(spans[member][0] for member in cluster.members)
            cluster.high = max(spans[member][1] for member in cluster.members)
        away = sorted(members - set(home))
        for key in away:  # Deng Xiaoping in the block of Deng, Qaboos bin Said in Qaboos's
            parsed = self._parsed[key]
            if (
                self._block(parsed.given) == block
                and not parsed.middles
                and (key[1] in SURNAME_FIRST or parsed.lineage)
            ):
                cluster = _Cluster([key], [self._oriented(key, block)], surname_first=True)
                cluster.low, cluster.high = spans[key]
                clusters.append(cluster)
        for key in away:  # Cavaco Silva in the block of Anibal Antonio Cavaco
            parsed = self._parsed[key]
            if self._block(parsed.given) == block and not parsed.middles and key[1] in TWO_SURNAMES:
                stage.paternal.append((key, "", True))
        return stage

    def _stands(self, stage: _Stage, members: set[PersonKey], touched: set[PersonKey]) -> bool:
        """Whether a block's kept stage still holds, judged from the groups touched since (the only ones
        whose facts can have changed): no block joined, the same groups, and each touched one read as
        before (its parsed name, and but for a surname alone its number of events and span)."""
        if stage.links != self._links:
            return False
        for key in touched:
            if (key in members) != (key in stage.members):
                if not self._surname_alone(stage, key):
                    return False
                continue  # a surname alone come or gone: it never changes a cluster
            if key not in members:
                continue
            was = stage.read.get(key)
            parsed = self._parsed[key]
            if was is None:
                if parsed.given or parsed.marker:  # a surname alone then, a fuller name now
                    return False
                continue
            if was[0] != parsed or (
                len(was) > 3 and was[3:] != (len(self._people.persons[key].docnos), self._span(key))
            ):
                return False
        return True

    def _surname_alone(self, stage: _Stage, key: PersonKey) -> bool:
        """Whether a group is a surname alone (no given name, no marker): now, or in the stage if it is gone."""
        parsed = self._parsed.get(key)
        if parsed is not None:
            return not parsed.given and not parsed.marker
        return stage.surname_only.get(key) == ("", False) and key not in stage.read

    def _redo_surname_only(
        self, stage: _Stage, answer: Resolution, touched: set[PersonKey]
    ) -> set[PersonKey]:
        """The touched surname-only groups resolved again against the kept clusters, in the block's answer
        in place; the groups whose answer this may have changed."""
        persons = self._people.persons
        changed = set()
        for key in touched:
            if key not in persons or key not in stage.members:  # a surname alone gone, or come
                answer.person_of.pop(key, None)
                answer.by_event.pop(key, None)
                answer.reasons.pop(key, None)
                answer.ambiguous.discard(key)
                changed.add(key)
                if key not in persons:
                    stage.members.discard(key)
                    stage.surname_only.pop(key, None)
                    stage.splits.pop((key, False), None)
                    continue
                stage.members.add(key)
                stage.surname_only[key] = ("", False)
            how = stage.surname_only.get(key)
            if how is None:
                continue
            compound, paternal = how
            split, unsure = self._surname_only(key, stage.clusters, compound, paternal)
            stage.splits[(key, paternal)] = (bytes(persons[key].docnos), split, unsure)
            answer.person_of.pop(key, None)
            answer.by_event.pop(key, None)
            answer.reasons.pop(key, None)
            answer.ambiguous.discard(key)
            self._write_surname_only(key, split, unsure, answer)
            changed.add(key)
        return changed

    def _compound_surnames(self, home: list[PersonKey], block: str) -> dict[PersonKey, str]:
        """Two-word names that are a compound surname alone (Lula da Silva, Collor de Mello, Salinas de
        Gortari): the first word is the last middle name of a fuller name of the block (not one built from a
        lineage, where it is the father's name). Such a name is resolved as a surname-only mention."""
        fuller = [
            self._oriented(key, block)
            for key in home
            if self._parsed[key].middles and not self._parsed[key].lineage
        ]
        found: dict[PersonKey, str] = {}
        for key in home:
            parsed = self._parsed[key]
            if not parsed.given or parsed.middles or parsed.marker:
                continue
            if any(
                other.surname == parsed.surname
                and _given_agree(other.middles[-1], parsed.given, initials=False)
                and not _given_agree(other.given, parsed.given, initials=False)
                for other in fuller
            ):
                found[key] = parsed.given
        return found

    def _surname_only(
        self, key: PersonKey, clusters: list[_Cluster], compound: str = "", paternal: bool = False
    ) -> tuple[dict[int, PersonKey], bool]:
        """Event by event, the one full-name person the mention fits at that date (within a few years of
        that person's other events, else within `SEGMENT_GAP_DAYS` when only one is that close); then,
        within a stretch of the events of the mention and of the one person it can be with no long gap, the
        events that fit no one follow those that fit one person (the stretch is one person's time in
        office); a later stretch that fits no one is a namesake. A compound surname alone (`compound`, its
        first word) fits the persons whose last middle name it is; two surnames alone (`paternal`: Cavaco Silva)
        fit the persons whose surname is the first."""
        persons = self._people.persons
        person = persons[key]
        parsed = self._parsed[key]
        if compound:
            parsed = ParsedName("", (), parsed.surname, parsed.marker, parsed.rank)
        elif paternal:
            parsed = ParsedName("", (), parsed.given, parsed.marker, parsed.rank)
        fitting = [
            cluster
            for cluster in clusters
            if (
                (cluster.surname_first and not compound and not paternal)
                or any(
                    self._parsed[m].surname == parsed.surname
                    and (
                        not compound
                        or bool(self._parsed[m].middles)
                        and _given_agree(self._parsed[m].middles[-1], compound, initials=False)
                    )
                    for m in cluster.members
                )
            )
            and all(
                _countries_agree(person, persons[member])
                and (
                    _ranks_agree(parsed, other)
                    or _succession(parsed, self._span(key), other, self._span(member))
                )
                and (not parsed.marker or parsed.marker == other.marker)
                for member, other in zip(cluster.members, cluster.parsed, strict=True)
            )
        ]
        docnos = np.frombuffer(person.docnos, dtype=np.uint32)
        days = _ordinal(self._day_of(docnos.astype(np.int64)))
        order = np.argsort(days, kind="stable")
        split: dict[int, PersonKey] = {}
        unsure = False
        stretches: list[list[int]] = []
        previous = None
        for at in order.tolist():
            docno, day = int(docnos[at]), int(days[at])
            if previous is None or day - previous > SEGMENT_GAP_DAYS:
                stretches.append([])
            stretches[-1].append(docno)
            previous = day
            near = [c for c in fitting if c.low - SPAN_MARGIN_DAYS <= day <= c.high + SPAN_MARGIN_DAYS]
            if not near:  # no one close: the one person within a spell out of office, if there is one
                near = [c for c in fitting if c.low - SEGMENT_GAP_DAYS <= day <= c.high + SEGMENT_GAP_DAYS]
                near = near if len(near) == 1 else []
            if not near and parsed.rank and not parsed.marker:
                # a monarch reigns for life: the name without its number, after the one numbered monarch
                # of that name, rank and country first appears, is that monarch (Prince Rainier in 1984 is
                # Rainier III); before it, a predecessor
                near = [
                    c
                    for c in fitting
                    if _ROMAN.match(c.parsed[0].marker)
                    and c.parsed[0].rank == parsed.rank
                    and day >= c.low - SPAN_MARGIN_DAYS
                ]
                near = near if len(near) == 1 else []
            if len(near) == 1:
                split[docno] = near[0].members[0]
            elif len(near) > 1:
                unsure = True
        day_of = dict(zip(docnos.tolist(), days.tolist(), strict=True))
        first_day = {cluster.members[0]: cluster.low for cluster in fitting}
        for number, stretch in enumerate(stretches):
            targets = {split[docno] for docno in stretch if docno in split}
            if len(targets) == 1 and not unsure:
                # the rest of one person's stretch follows, except what comes long before that person's
                # first event: a predecessor of the name (Assad 1973 before Bashar al-Assad in 2000)
                (target,) = targets
                since = first_day[target] - SEGMENT_GAP_DAYS
                split.update((docno, target) for docno in stretch if day_of[docno] >= since)
            elif not targets and number:
                apart = (f"{key[0]} #{number + 1}", key[1])  # a namesake decades later
                split.update((docno, apart) for docno in stretch)
        return split, unsure

    def _write_surname_only(
        self, key: PersonKey, split: dict[int, PersonKey], unsure: bool, answer: Resolution
    ) -> None:
        """A surname-only group's events (`_surname_only`) into the block's answer, with the reason."""
        persons = self._people.persons
        if unsure:
            answer.ambiguous.add(key)
        if not split:
            return
        targets = set(split.values())
        if len(split) == len(persons[key].docnos) and len(targets) == 1:
            answer.person_of[key] = next(iter(targets))
        else:
            answer.by_event[key] = split
        answer.reasons[key] = _Why(True, tuple(targets))

    def _span(self, key: PersonKey) -> tuple[int, int]:
        span = self._spans.get(key)
        if span is None:
            days = self._days([key])
            span = self._spans[key] = (int(days.min()), int(days.max()))
        return span

    def _days(self, keys: list[PersonKey]) -> np.ndarray:
        persons = self._people.persons
        docnos = np.concatenate([np.frombuffer(persons[key].docnos, dtype=np.uint32) for key in keys])
        return _ordinal(self._day_of(docnos.astype(np.int64)))

    def _home(self, key: PersonKey, block: str, pairs: set[tuple[str, str]]) -> bool:
        """Whether a group is resolved in this block: its surname is the block's, or it is a two-word name
        written the other way round from one whose surname is the block's (resolved in the first block of
        the two, so that only one block decides)."""
        parsed = self._parsed[key]
        surname = self._block(parsed.surname)
        if surname == block:
            return True
        return (
            bool(parsed.given)
            and self._block(parsed.given) == block
            and block < surname
            and (surname, block) in pairs
        )

    def _oriented(self, key: PersonKey, block: str) -> ParsedName:
        """The name read so that its surname is the block's (a two-word name may be written surname first)."""
        parsed = self._parsed[key]
        if self._block(parsed.surname) == block:
            return parsed
        return ParsedName(parsed.surname, (), parsed.given, parsed.marker, parsed.rank, parsed.surname)


def _answered_otherwise(old: Resolution, new: Resolution, members: set[PersonKey]) -> set[PersonKey]:
    """The groups whose answer a block's new resolution changed: only their persons are read again and
    described again (a block of a common surname holds hundreds of groups, and one arrival in it changes
    the answer of a few)."""
    keys = {*members, *old.person_of, *old.by_event, *old.ambiguous}
    return {
        key
        for key in keys
        if old.person_of.get(key) != new.person_of.get(key)
        or old.by_event.get(key) != new.by_event.get(key)
        or old.reasons.get(key) != new.reasons.get(key)
        or (key in old.ambiguous) != (key in new.ambiguous)
    }


class ResolvedPersons:
    """Every resolved person with its groups and live events, kept up to date group by group across changes
    of the index, and answers derived per person (`memo`) dropped only for the persons a change reached.

    A group's share of the persons (`_group_parts`) depends on its facts, its answer (`_by_event`, and
    `_person_of` along its merges) and, through `_final`, on the answer and alias join of each key its
    merges pass through (a head merged in another block moves every member with it). Each group is kept
    with those keys (`_read`, and the reverse `_readers`), so that when some keys change (`_changed`: the
    groups `touch` was told of, among them those an alias link joined, split or filed anew, and the groups
    whose answer a block's resolution changed) only the groups that read them are read again, and only the
    persons those groups went to or go to now are rebuilt. At 100,000 events a change reads a few groups where the whole table
    took 110 ms and its cards 850 ms. The plain definition (every group, `person_of` event by event) is what
    the tests compare it with."""

    def __init__(self, resolution: PersonResolution) -> None:
        self._resolution = resolution
        self.parts: dict[PersonKey, list[tuple[Person, np.ndarray | None]]] = {}
        """Person → its groups, sorted by key, each with its events that are the person's (None: all).
        Read-only for callers; a person's list is replaced, never changed, when it changes."""
        self.events: dict[PersonKey, array[int]] = {}
        """Person → its live events, sorted (a group's own array when it is the person's only part)."""
        self._shares: dict[PersonKey, dict[PersonKey, np.ndarray | None]] = {}
        """Person → group → the group's events that are the person's (None: all of them)."""
        self._went_to: dict[PersonKey, tuple[PersonKey, ...]] = {}
        """Group → the persons its events went to."""
        self._read: dict[PersonKey, tuple[PersonKey, ...]] = {}
        """Group → the keys its share depends on (itself, its merge targets, the keys along their merges)."""
        self._readers: dict[PersonKey, set[PersonKey]] = {}
        """Key → the groups that read it."""
        self._memos: dict[str, dict[PersonKey, Any]] = {}
        resolution._changed.clear()
        self._reread(set(resolution._people.persons))

    def memo(self, name: str) -> dict[PersonKey, Any]:
        """Answers derived from one person's parts and events (a card, say), kept until that person changes."""
        return self._memos.setdefault(name, {})

    def update(self) -> None:
        """Read again the groups whose share may have changed since the last update, and rebuild the persons
        they went to before or go to now."""
        changed = self._resolution._changed
        if not changed:
            return
        persons = self._resolution._people.persons
        groups = {key for key in changed if key in persons}
        for key in changed:
            groups.update(self._readers.get(key, ()))
        changed.clear()
        self._reread(groups)

    def _reread(self, groups: set[PersonKey]) -> None:
        persons = self._resolution._people.persons
        moved: set[PersonKey] = set()
        for group in groups:
            for target in self._went_to.pop(group, ()):
                self._shares[target].pop(group, None)
                moved.add(target)
            for key in self._read.pop(group, ()):
                readers = self._readers[key]
                readers.discard(group)
                if not readers:
                    del self._readers[key]
            person = persons.get(group)
            if person is None:
                continue
            read: set[PersonKey] = set()
            shares = self._group_parts(person, read)
            for target, chosen in shares.items():
                self._shares.setdefault(target, {})[group] = chosen
            moved.update(shares)
            self._went_to[group] = tuple(shares)
            self._read[group] = tuple(read)
            for key in read:
                self._readers.setdefault(key, set()).add(group)
        for memo in self._memos.values():
            for target in moved:
                memo.pop(target, None)
        for target in moved:
            kept = self._shares.get(target)
            if not kept:
                self._shares.pop(target, None)
                self.parts.pop(target, None)
                self.events.pop(target, None)
                continue
            parts = [(persons[group], kept[group]) for group in sorted(kept)]
            self.parts[target] = parts
            self.events[target] = _events_of(parts)

    def _group_parts(self, person: Person, read: set[PersonKey]) -> dict[PersonKey, np.ndarray | None]:
        """The persons a group's events are, each with those events (None: all of them); `read` gets the
        keys this depends on."""
        resolution = self._resolution
        key = person.key
        read.add(key)
        split = resolution._by_event.get(key)
        if split is None:
            return {resolution._final(key, read): None}
        docnos = np.frombuffer(person.docnos, dtype=np.uint32)
        finals: dict[PersonKey, PersonKey] = {}
        targets = []
        for docno in docnos.tolist():
            target = split.get(docno, key)
            final = finals.get(target)
            if final is None:
                final = finals[target] = resolution._final(target, read)
            targets.append(final)
        return {target: docnos[[t == target for t in targets]] for target in dict.fromkeys(targets)}


def _events_of(parts: list[tuple[Person, np.ndarray | None]]) -> array[int]:
    """A person's live events, sorted, from its parts."""
    if len(parts) == 1 and parts[0][1] is None:
        return parts[0][0].docnos
    docnos = np.unique(
        np.concatenate([np.frombuffer(p.docnos, dtype=np.uint32) if d is None else d for p, d in parts])
    )
    return array("I", docnos.astype(np.uint32).tobytes())


def _succession(
    first: ParsedName, first_span: tuple[int, int], second: ParsedName, second_span: tuple[int, int]
) -> bool:
    """A crown prince who became the sovereign: all the crown prince's events come before (or within a few
    years of) the sovereign's first (Crown Prince Abdullah of Jordan in 1999, King Abdullah II since). Held
    at the same time, the two ranks are two people."""
    ranks = {first.rank: first_span, second.rank: second_span}
    if set(ranks) != {"crown prince", "sovereign"}:
        return False
    return ranks["crown prince"][1] <= ranks["sovereign"][0] + SPAN_MARGIN_DAYS


def _near(first: tuple[int, int], second: tuple[int, int], gap: int) -> bool:
    """Two spans of events at most `gap` apart."""
    return first[0] - gap <= second[1] and second[0] - gap <= first[1]


def _main_role(person: Person) -> str:
    return max(person.roles.items(), key=lambda item: (item[1], item[0]))[0] if person.roles else ""


def _ordinal(days: np.ndarray) -> np.ndarray:
    """YYYYMMDD → days, roughly (year*366 + month*31 + day)."""
    days = days.astype(np.int64)
    return days // 10000 * 366 + days // 100 % 100 * 31 + days % 100
