"""Which real person each mention is: the resolution layer above the people the index keeps as written.

`store.entities.people` keeps the facts: every mention grouped by its transliteration key and country, with its
spellings, roles and events. This module decides which of those groups are one real person and never changes
them, so that a persistent index can store facts only and the resolution can be recomputed from them.

How mentions become persons (each rule is a kind of error seen on real records):

- A name is read as: honorifics and titles (President, Sheikh, Dr, Crown Prince …) dropped into the role;
  a royal rank (king, crown prince, emir …) kept as identity, so a king and a crown prince of one name stay
  apart; regnal numbers and generational markers (XII, II, Jr) kept as identity, so Pius XII is not Pius XI;
  particles (de, al, bin …) kept with the surname; then a given name, middle names and a surname.
- Mentions are compared only within a block: the same surname key (`store.model.names`), or a two-word name whose
  words are swapped (Abe Shinzo / Shinzo Abe). Countries must agree when both are known.
- Full names join when their given names agree (the same key, a looser key that forgives vowels and the
  g/h of Russian transliteration: Heydar / Geidar, Mohammed / Mohammad; a known short form: Bill /
  William; an initial), and their middle names agree or one has none (Antony Blinken / Antony John
  Blinken; but George W. Bush ≠ George H.W. Bush). A name with no middle name that fits two fuller persons
  stays apart.
- A surname-only mention (Mubarak) joins a full-name person event by event, only when exactly one person of
  the block fits: same country where known, no conflicting rank or marker, and that event's date within
  the span of that person's other events (a few years either side). So "Bush" in 2006 is George W. Bush
  and in 1990 George H.W. Bush; a father and a son, or namesakes decades apart, stay apart; a mention that
  fits several stays on its own, marked ambiguous.
- A participant's country is only ever what the record says; nothing here infers it (from a host city or
  anywhere else).

Recomputed incrementally: the index tells `touch` which groups an event added or removed; only their blocks
are resolved again, on the next question.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from store.entities.people import People, Person, PersonKey
from store.model.names import name_key

_HONORIFICS = {
    name_key(word)
    for word in (
        "president vice prime minister foreign premier chancellor chairman secretary general gen marshal "
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

SEGMENT_GAP_DAYS = 8 * 366
"""A surname-only group with no events for this long is two people (Alessandri 1934 and 1962)."""

_PARTICLES = {
    name_key(word)
    for word in "de da di du del della des van von der den al el bin ibn ben abu bint la le".split()
}

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

SPAN_MARGIN_DAYS = 3 * 366
"""A surname-only mention fits a person whose other events are at most this far from it: long enough for a
term of office, short enough to tell a father from a son."""


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

    @property
    def surname_only(self) -> bool:
        return not self.given


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
    return ParsedName(given, middles, surname_words[-1], marker, rank)


@functools.lru_cache(maxsize=4096)
def _role_rank(role: str) -> str:
    """The royal rank a role names ('' for none); roles are few, so each is read once."""
    words = name_key(role).split()
    if "crown" in words:
        return "crown prince"
    return next((_RANKS[word] for word in reversed(words) if word in _RANKS), "")


def _given_agree(first: str, second: str) -> bool:
    if first == second or _SHORT_FORMS.get(first, first) == _SHORT_FORMS.get(second, second):
        return True
    if len(first) == 1 or len(second) == 1:
        return first[:1] == second[:1]
    return len(first) > 2 and len(second) > 2 and _loose(first) == _loose(second)


def _middles_agree(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    if not first or not second:
        return True
    if len(first) == len(second) and all(_given_agree(a, b) for a, b in zip(first, second, strict=True)):
        return True
    joined_first, joined_second = "".join(first), "".join(second)  # Abdel Aziz / Abdulaziz
    return min(len(joined_first), len(joined_second)) > 3 and _loose(joined_first) == _loose(joined_second)


def _countries_agree(first: Person, second: Person) -> bool:
    return not first.key[1] or not second.key[1] or first.key[1] == second.key[1]


def _ranks_agree(first: ParsedName, second: ParsedName) -> bool:
    return not first.rank or not second.rank or first.rank == second.rank


def full_names_agree(first: ParsedName, second: ParsedName) -> bool:
    """Two full names can be one person (given names, middle names, marker and rank agree)."""
    return (
        _given_agree(first.given, second.given)
        and _middles_agree(first.middles, second.middles)
        and first.marker == second.marker
        and _ranks_agree(first, second)
    )


@dataclass(slots=True)
class _Cluster:
    members: list[PersonKey]
    parsed: list[ParsedName]
    low: int = 0
    high: int = 0
    surname_first: bool = False


@dataclass(slots=True)
class Resolution:
    """The answer for one block: group → person (its representative key), with reasons, and for surname-only
    groups the events that went to a full-name person."""

    person_of: dict[PersonKey, PersonKey] = field(default_factory=dict)
    by_event: dict[PersonKey, dict[int, PersonKey]] = field(default_factory=dict)
    reasons: dict[PersonKey, str] = field(default_factory=dict)
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
        self._person_of: dict[PersonKey, PersonKey] = {}
        self._by_event: dict[PersonKey, dict[int, PersonKey]] = {}
        self._reasons: dict[PersonKey, str] = {}
        self._ambiguous: set[PersonKey] = set()
        self._spans: dict[PersonKey, tuple[int, int]] = {}
        """Each group's first and last day (ordinal), kept until an event of the group comes or goes."""
        self.version = 0
        """Grows whenever an answer may have changed (derived tables key on it)."""

    # -- keeping up with the facts ----------------------------------------------------------------------

    def touch(self, keys: Iterable[PersonKey]) -> None:
        """The groups an added or removed event named: their blocks are resolved again when next asked."""
        persons = self._people.persons
        for key in keys:
            self._spans.pop(key, None)
            blocks = self._block_of.get(key)
            if key in persons and blocks is None:
                person = persons[key]
                parsed = self._parsed[key] = parse_name(key[0], _main_role(person))
                blocks = self._block_of[key] = _blocks_of(parsed)
                for block in blocks:
                    self._blocks.setdefault(block, set()).add(key)
            elif key not in persons and blocks is not None:
                for block in blocks:
                    self._blocks[block].discard(key)
                del self._block_of[key]
                del self._parsed[key]
            self._dirty.update(blocks or ())
        self.version += 1

    def refresh(self) -> None:
        """Resolve the blocks changed since the last question now (questions do it anyway)."""
        self._refresh()

    def _refresh(self) -> None:
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        affected: set[PersonKey] = set()
        for block in dirty:
            old = self._answers.pop(block, None)
            if old is not None:
                affected.update(old.person_of, old.by_event, old.ambiguous)
            members = self._blocks.get(block)
            if not members:
                self._blocks.pop(block, None)
                continue
            affected.update(members)
            self._answers[block] = self._resolve(block, members)
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
                    self._reasons[key] = answer.reasons.get(key, "")
                if key in answer.by_event and key not in self._by_event:
                    self._by_event[key] = answer.by_event[key]
                    self._reasons[key] = answer.reasons.get(key, "")
                if key in answer.ambiguous:
                    self._ambiguous.add(key)

    def _final(self, key: PersonKey) -> PersonKey:
        """Follow merges to the end (a head merged in another block), never looping."""
        seen = {key}
        while key in self._person_of and self._person_of[key] not in seen:
            key = self._person_of[key]
            seen.add(key)
        return key

    # -- answers -----------------------------------------------------------------------------------------

    def person_of(self, key: PersonKey, docno: int) -> PersonKey:
        """The person a mention of group `key` in event `docno` is (a representative group key)."""
        self._refresh()
        split = self._by_event.get(key)
        if split is not None and docno in split:
            return self._final(split[docno])
        return self._final(key)

    def persons_of(self, keys: Iterable[PersonKey], docno: int) -> tuple[PersonKey, ...]:
        return tuple(dict.fromkeys(self.person_of(key, docno) for key in keys))

    def reason(self, key: PersonKey) -> str:
        """Why a group was merged into another person ('' when it was not)."""
        self._refresh()
        return self._reasons.get(key, "")

    def is_ambiguous(self, key: PersonKey) -> bool:
        self._refresh()
        return key in self._ambiguous

    def persons(self) -> dict[PersonKey, list[tuple[Person, np.ndarray | None]]]:
        """Every person: its groups, each with the events of it that belong to the person (None: all)."""
        self._refresh()
        found: dict[PersonKey, list[tuple[Person, np.ndarray | None]]] = {}
        for key, person in self._people.persons.items():
            split = self._by_event.get(key)
            if split is None:
                found.setdefault(self._final(key), []).append((person, None))
                continue
            docnos = np.frombuffer(person.docnos, dtype=np.uint32)
            targets = [self._final(split.get(docno, key)) for docno in docnos.tolist()]
            for target in dict.fromkeys(targets):
                chosen = docnos[[t == target for t in targets]]
                found.setdefault(target, []).append((person, chosen))
        return found

    # -- one block ---------------------------------------------------------------------------------------

    def _resolve(self, block: str, members: set[PersonKey]) -> Resolution:
        persons = self._people.persons
        answer = Resolution()
        pairs = {(parsed.given, parsed.surname) for parsed in (self._parsed[key] for key in members)}
        home = sorted(
            (key for key in members if self._home(key, block, pairs)),
            key=lambda key: (-len(self._parsed[key].middles), -len(persons[key].docnos), key),
        )
        clusters: list[_Cluster] = []
        singles: list[PersonKey] = []
        spans = {key: self._span(key) for key in members}
        for key in home:
            parsed = self._oriented(key, block)
            if parsed.surname_only and not parsed.marker:  # a monarch's name and number is a full name
                singles.append(key)
                continue
            fits = [
                cluster
                for cluster in clusters
                if all(
                    full_names_agree(parsed, other)
                    and _countries_agree(persons[key], persons[member])
                    and _near(spans[key], spans[member])
                    for member, other in zip(cluster.members, cluster.parsed, strict=True)
                )
            ]
            if len(fits) == 1:
                fits[0].members.append(key)
                fits[0].parsed.append(parsed)
            else:
                if len(fits) > 1:
                    answer.ambiguous.add(key)
                clusters.append(_Cluster([key], [parsed]))
        for cluster in clusters:
            days = self._days(cluster.members)
            cluster.low, cluster.high = int(days.min()), int(days.max())
            head = cluster.members[0]
            for member in cluster.members[1:]:
                answer.person_of[member] = head
                spelling = persons[member].name
                answer.reasons[member] = f"{spelling} → {persons[head].name}: same surname, given names agree"
        for key in members - set(home):  # Deng Xiaoping, in the block of Deng
            parsed = self._parsed[key]
            if parsed.given == block and not parsed.middles and key[1] in SURNAME_FIRST:
                cluster = _Cluster([key], [self._oriented(key, block)], surname_first=True)
                cluster.low, cluster.high = spans[key]
                clusters.append(cluster)
        for key in singles:
            self._resolve_surname_only(key, clusters, answer)
        return answer

    def _resolve_surname_only(self, key: PersonKey, clusters: list[_Cluster], answer: Resolution) -> None:
        """Event by event, the one full-name person the mention fits at that date; then, within a stretch of
        the mention's events with no long gap, the events that fit no one follow those that fit one person
        (the stretch is one person's time in office); a later stretch that fits no one is a namesake."""
        persons = self._people.persons
        person, parsed = persons[key], self._parsed[key]
        fitting = [
            cluster
            for cluster in clusters
            if (
                cluster.surname_first
                or any(self._parsed[m].surname == parsed.surname for m in cluster.members)
            )
            and all(
                _countries_agree(person, persons[member])
                and _ranks_agree(parsed, other)
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
            if len(near) == 1:
                split[docno] = near[0].members[0]
            elif len(near) > 1:
                unsure = True
        for number, stretch in enumerate(stretches):
            targets = {split[docno] for docno in stretch if docno in split}
            if len(targets) == 1 and not unsure:
                (target,) = targets
                split.update((docno, target) for docno in stretch)
            elif not targets and number and len(stretches) > 1:
                apart = (f"{key[0]} #{number + 1}", key[1])  # a namesake decades later
                split.update((docno, apart) for docno in stretch)
        if unsure:
            answer.ambiguous.add(key)
        if not split:
            return
        targets = set(split.values())
        if len(split) == len(docnos) and len(targets) == 1:
            answer.person_of[key] = targets.pop()
        else:
            answer.by_event[key] = split
        names = sorted(persons[target].name for target in set(split.values()) if target in persons)
        if names:
            answer.reasons[key] = (
                f"{person.name} → {', '.join(names)}: surname only, the one person it fits at those dates"
            )

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
        if parsed.surname == block:
            return True
        return parsed.given == block and block < parsed.surname and (parsed.surname, block) in pairs

    def _oriented(self, key: PersonKey, block: str) -> ParsedName:
        """The name read so that its surname is the block's (a two-word name may be written surname first)."""
        parsed = self._parsed[key]
        if parsed.surname == block:
            return parsed
        return ParsedName(parsed.surname, (), parsed.given, parsed.marker, parsed.rank)


def _near(first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Two spans of events at most `SEGMENT_GAP_DAYS` apart (Seretse Khama 1969 is not his son in 2009)."""
    return first[0] - SEGMENT_GAP_DAYS <= second[1] and second[0] - SEGMENT_GAP_DAYS <= first[1]


def _blocks_of(parsed: ParsedName) -> tuple[str, ...]:
    if parsed.given and not parsed.middles:
        return (parsed.surname, parsed.given)
    return (parsed.surname,)


def _main_role(person: Person) -> str:
    return max(person.roles.items(), key=lambda item: (item[1], item[0]))[0] if person.roles else ""


def _ordinal(days: np.ndarray) -> np.ndarray:
    """YYYYMMDD → days, roughly (year*366 + month*31 + day)."""
    days = days.astype(np.int64)
    return days // 10000 * 366 + days // 100 % 100 * 31 + days % 100
