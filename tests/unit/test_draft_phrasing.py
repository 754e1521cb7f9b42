"""Drafts by kind of phrasing: each test writes a small release in one house style and checks the field that
style puts in a new place. The releases are written for these tests (not the benchmark's), so a test passing
says the kind is read, not that one sentence is known."""

from __future__ import annotations

import re

import pytest

from store.drafts.dates import relative_days
from store.drafts.draft import draft_event
from store.drafts.layout import cut_release
from store.importers import organizations
from store.importers.people import people_named_in
from store.model.countries import code_for


def _draft(text: str) -> dict:
    return draft_event(text).event


def _people(event: dict) -> list[tuple]:
    return [
        (p["name"], p.get("role"), p.get("country"), p.get("delegation_head", False))
        for p in event.get("participants", [])
    ]


@pytest.mark.parametrize(
    ("release", "city", "date", "lead"),
    [
        (
            "Addis Ababa, 6 May 2024: The Chairperson met.",
            "Addis Ababa",
            "2024-05-06",
            "The Chairperson met.",
        ),
        ("Dushanbe, 10 April 2024. The Minister met.", "Dushanbe", "2024-04-10", "The Minister met."),
        ("Doha, March 3, 2024, QNA -- The Minister met.", "Doha", "2024-03-03", "The Minister met."),
        ("MUSCAT, 2nd May, 2024 (ONA) -- The Minister met.", "Muscat", "2024-05-02", "The Minister met."),
        ("BAKU — The Minister met.\n\nMore.", "Baku", "", "The Minister met."),
        ("Vienna, 12.03.2024\n\nThe Minister met.", "Vienna", "2024-03-12", "The Minister met."),
        (
            "A headline\n\nVienna, 12 March 2024\n\nThe Minister met.",
            "Vienna",
            "2024-03-12",
            "The Minister met.",
        ),
    ],
)
def test_datelines_in_any_case_and_shape(release: str, city: str, date: str, lead: str) -> None:
    layout = cut_release(release)
    assert (layout.dateline_city, layout.dateline_date, layout.lead_text) == (city, date, lead)


def test_a_spokesperson_attribution_is_not_the_lead_nor_a_participant() -> None:
    event = _draft(
        "Secretary's Call with Georgian Prime Minister\n\n"
        "The following is attributable to Spokesperson Jane Doe:\n\n"
        "Secretary of State Antony J. Blinken spoke today with Georgian Prime Minister Irakli Kobakhidze.\n\n"
        "Office of the Spokesperson, Washington, March 4, 2024"
    )
    assert (event["kind"], event["date"]) == ("call", "2024-03-04")
    assert [p[0] for p in _people(event)] == ["Antony J. Blinken", "Irakli Kobakhidze"]
    assert event["countries"] == ["US", "GE"]


def test_a_us_style_date_without_a_year_resolves_against_the_publication() -> None:
    event = _draft(
        "On January 9, Minister of Foreign Affairs of Mongolia Battsetseg Batmunkh met with Ambassador of "
        "Japan to Mongolia Masaru Igawahara.\n\nMFA of Mongolia, January 10, 2024"
    )
    assert event["date"] == "2024-01-09"


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("Yesterday, talks were held", "2024-05-15"),
        ("the day before yesterday", "2024-05-14"),
        ("On Tuesday, the ministers met", "2024-05-14"),
        ("On Thursday, the ministers met", "2024-05-16"),  # the release's own weekday is that day
        ("last Thursday", "2024-05-09"),
        ("Earlier today", "2024-05-16"),
    ],
)
def test_relative_days_count_from_the_release_day(written: str, day: str) -> None:
    assert [found.day for found in relative_days(written, "2024-05-16")] == [day]  # a Thursday


def test_a_weekday_in_the_lead_dates_the_event_from_the_sign_off() -> None:
    event = _draft(
        "On Monday, Minister of Foreign Affairs of Armenia Ararat Mirzoyan met with Minister of Foreign "
        "Affairs of Greece Giorgos Gerapetritis in Athens.\n\nSource: MFA of Armenia, 7 March 2024"
    )
    assert event["date"] == "2024-03-04"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kingdom of Sweden", "SE"),
        ("Islamic Republic of Pakistan", "PK"),
        ("the Republic of Kazakhstan", "KZ"),
        ("Sultanate of Oman", "OM"),
        ("Hashemite Kingdom of Jordan", "JO"),
        ("Congo", None),
        ("Korea", None),
    ],
)
def test_official_long_names_give_countries_and_ambiguous_ones_none(name: str, code: str | None) -> None:
    assert code_for(name) == code


def test_long_official_names_and_demonym_sides_give_participants_countries() -> None:
    event = _draft(
        "On 3 June 2024, consultations between the Ministries of Foreign Affairs of the Sultanate of Oman and "
        "the Republic of Uzbekistan were held in Muscat. The Omani delegation was headed by Undersecretary "
        "Sheikh Khalifa Al Harthy, the Uzbek one by Deputy Minister of Foreign Affairs Bakhrom Aloev."
    )
    assert event["countries"] == ["OM", "UZ"]
    assert ("Bakhrom Aloev", "Deputy Minister of Foreign Affairs", "UZ", True) in _people(event)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "with the participation of the foreign ministers of Kazakhstan – Murat Nurtleu, Mongolia – "
            "Battsetseg Batmunkh and Azerbaijan – Jeyhun Bayramov.",
            [("Murat Nurtleu", "KZ"), ("Battsetseg Batmunkh", "MN"), ("Jeyhun Bayramov", "AZ")],
        ),
        (
            "attended by the prime ministers of the Republic of Belarus Roman Golovchenko and the Russian "
            "Federation Mikhail Mishustin.",
            [("Roman Golovchenko", "BY"), ("Mikhail Mishustin", "RU")],
        ),
        (
            "hosted the foreign ministers of Serbia and Hungary, Marko Djuric and Peter Szijjarto.",
            [("Marko Djuric", "RS"), ("Peter Szijjarto", "HU")],
        ),
    ],
)
def test_enumerations_of_office_holders_give_each_with_their_country(sentence: str, expected: list) -> None:
    event = _draft(f"On 5 May 2024, the High Representative {sentence}")
    assert [(p[0], p[2]) for p in _people(event)] == expected


def test_an_enumeration_of_countries_without_names_gives_the_countries() -> None:
    event = _draft(
        "On 4 April 2024, the Secretary-General met in Geneva with the ambassadors of Chile, Peru and Colombia."
    )
    assert event["countries"] == ["CL", "PE", "CO"]


@pytest.mark.parametrize(
    ("text", "name", "role", "country"),
    [
        (
            "The High Representative/Vice-President of the European Commission, Kaja Kallas, met",
            "Kaja Kallas",
            "High Representative/Vice-President of the European Commission",
            None,
        ),
        (
            "Dilnoza Karimova, Minister of Tourism of Uzbekistan, received",
            "Dilnoza Karimova",
            "Minister of Tourism",
            "UZ",
        ),
        (
            "met Deputy Prime Minister – Minister of Foreign Affairs of Tajikistan Farrukh Sharipov.",
            "Farrukh Sharipov",
            "Deputy Prime Minister – Minister of Foreign Affairs",
            "TJ",
        ),
        (
            "with Special Representative of the Secretary-General for Libya Abdoulaye Bathily",
            "Abdoulaye Bathily",
            "Special Representative of the Secretary-General for Libya",
            None,
        ),
        (
            "Director of the Second Asian Department of the Russian Foreign Ministry Ivan Petrov said",
            "Ivan Petrov",
            "Director of the Second Asian Department of the Russian Foreign Ministry",
            "RU",
        ),
    ],
)
def test_titles_beyond_foreign_ministers_and_names_beside_them(
    text: str, name: str, role: str, country: str | None
) -> None:
    [person] = people_named_in(text)
    assert (person.name, person.role, person.country) == (name, role, country)


def test_people_only_spoken_of_are_not_participants() -> None:
    event = _draft(
        "On 2 May 2024, Minister of Foreign Affairs of Kyrgyzstan Zheenbek Kulubaev met with Minister of "
        "Foreign Affairs of Latvia Baiba Braze.\n\n"
        "Kulubaev conveyed greetings from President Sadyr Japarov to President of Latvia Edgars Rinkevics and "
        "spoke of the reforms initiated by Chairman of the Cabinet Akylbek Japarov. The ministers discussed "
        "preparations for Prime Minister Evika Silina's official visit and the visit of Speaker Daiga Mierina."
    )
    assert [p[0] for p in _people(event)] == ["Zheenbek Kulubaev", "Baiba Braze"]


def test_co_chairs_are_both_delegation_heads() -> None:
    event = _draft(
        "On 11 March 2024, Deputy Foreign Minister of Vietnam Do Hung Viet and Deputy Minister of Foreign "
        "Affairs of Kazakhstan Roman Vassilenko co-chaired the political consultations in Hanoi."
    )
    assert [p[3] for p in _people(event)] == [True, True]


@pytest.mark.parametrize(
    ("lead", "kind"),
    [
        (
            "On 4 May 2024, the Minister paid a working visit to Baku, where he held talks with the Minister.",
            "meeting",
        ),
        (
            "On 4 May 2024, the Minister received the Ambassador, who is on an official visit to Baku.",
            "meeting",
        ),
        (
            "On 4 May 2024, the President met the Emir on the sidelines of the Arab League Summit in Manama.",
            "meeting",
        ),
        ("On 4 May 2024, the Minister arrived in Baku on an official visit.", "visit"),
        ("On 4 May 2024, the Secretary spoke with the Foreign Minister of Peru.", "call"),
        ("On 4 May 2024, the ministers discussed the treaty, signed in 2019 by the presidents.", ""),
        (
            "On 4 May 2024, the leaders met in the Summit of the Turkic States, on the margins of the UN.",
            "summit",
        ),
    ],
)
def test_the_kind_comes_from_what_happened(lead: str, kind: str) -> None:
    assert _draft(lead).get("kind", "") == kind


def test_documents_signed_at_the_event_carry_its_date_and_documents_referred_to_none() -> None:
    event = _draft(
        "On 14 May 2024, the ministers signed a Visa Waiver Agreement on 14 May in Tbilisi and adopted the "
        "Joint Declaration of the second Strategic Dialogue.\n\n"
        "They recalled the Comprehensive Partnership Treaty, signed on 3 October 2019, and discussed the "
        "Association Agreement."
    )
    assert event["documents"] == [
        {"title": "Visa Waiver Agreement", "date": "2024-05-14"},
        {"title": "Joint Declaration of the second Strategic Dialogue", "date": "2024-05-14"},
        {"title": "Comprehensive Partnership Treaty", "date": "2019-10-03"},
        {"title": "Association Agreement"},
    ]


def test_the_items_of_a_signed_list_are_documents_whatever_their_case() -> None:
    event = _draft(
        "On 20 May 2024, following the talks, the parties signed:\n\n"
        "- an agreement on mutual protection of investments;\n- a Protocol on the Exchange of Data."
    )
    assert [d["title"] for d in event["documents"]] == [
        "agreement on mutual protection of investments",
        "Protocol on the Exchange of Data",
    ]


def test_the_venue_of_a_meeting_of_others_is_not_a_state_taking_part() -> None:
    event = _draft(
        "On 8 May 2024, the Secretary-General met in Geneva with Minister of Foreign Affairs of Mali "
        "Abdoulaye Diop."
    )
    assert (event["location"], event["countries"]) == ({"city": "Geneva", "country": "CH"}, ["ML"])


def test_a_visit_counts_the_state_visited() -> None:
    event = _draft(
        "On 9 May 2024, Minister of Foreign Affairs of Oman Badr Albusaidi arrived in Tashkent on a visit."
    )
    assert (event["kind"], event["countries"]) == ("visit", ["OM", "UZ"])


@pytest.mark.parametrize(
    ("lead", "city"),
    [
        ("On 4 May 2024, the Envoy visited Bishkek to meet the Minister.", "Bishkek"),
        ("On 4 May 2024, the Minister departed today for Baku on a working visit.", "Baku"),
    ],
)
def test_places_from_visited_and_departed_for(lead: str, city: str) -> None:
    assert _draft(lead)["location"]["city"] == city


def test_a_place_of_residence_is_not_where_the_event_took_place() -> None:
    event = _draft(
        "On 4 May 2024, the Minister received the Ambassador of Chile, accredited with residence in Moscow."
    )
    assert "location" not in event


def test_the_host_minister_named_without_a_country_is_the_hosts() -> None:
    event = _draft(
        "On 2 April 2024, Minister of Foreign Affairs Ahmed Attaf received in Algiers Minister of Foreign "
        "Affairs of Tunisia Nabil Ammar."
    )
    assert ("Ahmed Attaf", "Minister of Foreign Affairs", "DZ", False) in _people(event)


def test_organizations_by_first_letter_find_what_one_pattern_of_them_all_finds() -> None:
    reference = re.compile(
        "|".join(
            f"(?P<o{index}>(?<![\\w-])(?:{pattern})(?![\\w]))"
            for index, (_, pattern) in enumerate(organizations._CANONICAL_PATTERNS)
        )
    )
    text = " and ".join(
        [name for name, _ in organizations._CANONICAL_PATTERNS]
        + ["U.N. General Assembly", "Group of Seven", "Turkic Council", "Arab League", "Middle East Quartet"]
    )
    expected = [organizations._CANONICAL_PATTERNS[int(m.lastgroup[1:])][0] for m in reference.finditer(text)]
    assert [mention.name for mention in organizations.spot_organizations(text)] == expected


def test_a_possessive_country_before_a_title_gives_the_country() -> None:
    [person] = people_named_in("met Kyrgyzstan's Foreign Minister Zheenbek Kulubaev in Rome")
    assert person.country == "KG"


def test_the_host_fallback_is_for_one_person_without_a_country_not_for_two() -> None:
    event = _draft(
        "On 6 May 2024, Foreign Minister Anna Berg met Trade Minister Omar Haddad in Rome to discuss shipping."
    )
    assert [p[2] for p in _people(event)] == [None, None]


def test_a_joint_statement_adopted_at_the_event_is_a_document_even_untitled() -> None:
    event = _draft(
        "On 15 February 2024, the Presidents met in Tashkent and adopted a Joint Statement. They discussed "
        "the Agreement."
    )
    assert event["documents"] == [{"title": "Joint Statement", "date": "2024-02-15"}]


def test_a_dateline_without_a_year_takes_it_from_the_sign_off() -> None:
    layout = cut_release(
        "ANKARA, June 3 (AA). The Minister received the Ambassador.\n\nSource: AA, 3 June 2024"
    )
    assert (layout.dateline_city, layout.dateline_date, layout.lead_text) == (
        "Ankara",
        "2024-06-03",
        "The Minister received the Ambassador.",
    )


def test_a_day_of_a_month_is_a_date() -> None:
    assert (
        _draft("On the 21st of March 2024, the Minister met the Ambassador of Peru.")["date"] == "2024-03-21"
    )


def test_a_counterpart_takes_the_role_of_the_person_met_and_the_demonym_country() -> None:
    event = _draft(
        "On 9 June 2024, Defence Minister of Kazakhstan Ruslan Zhaksylykov held talks with his Kyrgyz "
        "counterpart Baktybek Bekbolotov."
    )
    assert _people(event)[1] == ("Baktybek Bekbolotov", "Defence Minister", "KG", False)


def test_a_range_of_days_without_a_year_takes_the_datelines_year() -> None:
    event = _draft(
        "Bishkek, 4 April 2024 – On 3-4 April, political consultations between the Ministries of Foreign "
        "Affairs of Kyrgyzstan and Mongolia took place in Bishkek."
    )
    assert (event["date"], event["end_date"], event["countries"]) == (
        "2024-04-03",
        "2024-04-04",
        ["KG", "MN"],
    )
