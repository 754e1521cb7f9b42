"""The country table: codes, names in all their forms, demonyms, and the documented choices for former states."""

from __future__ import annotations

import pytest

from store.model.countries import COUNTRY_CODES, UNITED_STATES, code_for, name_for


def test_table_holds_the_official_codes_plus_kosovo() -> None:
    assert len(COUNTRY_CODES) == 250
    assert {"TM", "RU", "GB", "US", "KR", "KP", "CI", "MM", "AX", "BQ", "SS", "XK"} <= COUNTRY_CODES
    assert not {"SU", "YU", "CS", "DD", "ZR", "AN", "UK"} & COUNTRY_CODES
    assert all(len(code) == 2 and code.isupper() for code in COUNTRY_CODES)
    assert UNITED_STATES == "US"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Turkmenistan", "TM"),
        ("Russian Federation", "RU"),
        ("Russia", "RU"),
        ("the Russian Federation", "RU"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("U.K.", "GB"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Korea, South", "KR"),
        ("Korea, North", "KP"),
        ("Cote d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("CÔTE D'IVOIRE", "CI"),
        ("Burma", "MM"),
        ("Czech Republic", "CZ"),
        ("Slovak Republic", "SK"),
        ("China, People’s Republic of", "CN"),
        ("Congo, Democratic Republic of", "CD"),
        ("Congo, Republic of", "CG"),
        ("St. Lucia", "LC"),
        ("Bosnia-Herzegovina", "BA"),
        ("Timor Leste", "TL"),
        ("Vatican City", "VA"),
        ("Palestinian Authority", "PS"),
        ("Kosovo", "XK"),
        ("United States of America", "US"),
        ("U.S.", "US"),
        ("TM", "TM"),
    ],
)
def test_names_in_their_usual_forms(name: str, code: str | None) -> None:
    assert code_for(name) == code


@pytest.mark.parametrize(
    ("former", "code"),
    [
        ("Soviet Union", "RU"),
        ("U.S.S.R.", "RU"),
        ("Yugoslavia", "RS"),
        ("Serbia and Montenegro", "RS"),
        ("Czechoslovakia", "CZ"),
        ("German Democratic Republic", "DE"),
        ("Germany, Federal Republic of", "DE"),
        ("Zaire", "CD"),
        ("Swaziland", "SZ"),
        ("Byelorussia", "BY"),
        ("Kirghizia", "KG"),
        ("Macedonia, Former Yugoslav Republic of", "MK"),
    ],
)
def test_former_states_map_to_the_state_holding_their_capital(former: str, code: str) -> None:
    assert code_for(former) == code


@pytest.mark.parametrize(
    ("demonym", "code"),
    [("Turkmen", "TM"), ("Russian", "RU"), ("British", "GB"), ("American", "US"), ("Chinese", "CN")],
)
def test_demonyms(demonym: str, code: str) -> None:
    assert code_for(demonym) == code


@pytest.mark.parametrize("ambiguous", ["Korea", "Korean", "Congo", "Congolese", "Atlantis", ""])
def test_unknown_or_ambiguous_names_give_none(ambiguous: str) -> None:
    assert code_for(ambiguous) is None


def test_name_for() -> None:
    assert name_for("GB") == "United Kingdom"
    assert name_for("tm") == "Turkmenistan"
    assert name_for("ZZ") == "ZZ"
    assert all(code_for(name_for(code)) == code for code in COUNTRY_CODES)
