"""Where a press release says an event took place: "held in Ashgabat", "visit to Tashkent", "in Geneva".

A release names the city and rarely its country, so this module owns a table of cities diplomats meet in
(every capital, with older and local spellings, and the usual venues of summits and talks) and finds the
first of them the text places the event in. A city missing from the table is not guessed at: unless the text
also names its country ("in Sharm el-Sheikh, Egypt"), the draft leaves the location out and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.model.countries import code_for
from store.model.countries import fold_name as _fold

_CITIES_BY_COUNTRY: dict[str, str] = {
    "AD": "Andorra la Vella", "AE": "Abu Dhabi; Dubai", "AF": "Kabul; Kandahar; Herat; Mazar-i-Sharif",
    "AL": "Tirana", "AM": "Yerevan", "AO": "Luanda", "AR": "Buenos Aires", "AT": "Vienna; Salzburg",
    "AU": "Canberra; Sydney; Melbourne", "AZ": "Baku; Ganja; Shusha", "BA": "Sarajevo; Banja Luka",
    "BB": "Bridgetown", "BD": "Dhaka", "BE": "Brussels", "BF": "Ouagadougou", "BG": "Sofia", "BH": "Manama",
    "BI": "Gitega; Bujumbura", "BJ": "Porto-Novo; Cotonou", "BN": "Bandar Seri Begawan", "BO": "La Paz; Sucre",
    "BR": "Brasilia; Brasília; Rio de Janeiro; Sao Paulo; São Paulo", "BS": "Nassau", "BT": "Thimphu",
    "BW": "Gaborone", "BY": "Minsk", "BZ": "Belmopan", "CA": "Ottawa; Montreal; Toronto; Vancouver; Quebec",
    "CD": "Kinshasa", "CF": "Bangui", "CG": "Brazzaville", "CH": "Bern; Berne; Geneva; Davos; Lausanne; Zurich",
    "CI": "Yamoussoukro; Abidjan", "CL": "Santiago", "CM": "Yaounde; Yaoundé", "CN": "Beijing; Peking; Shanghai; Xi'an; Xian; Hangzhou; Guangzhou; Qingdao",
    "CO": "Bogota; Bogotá; Cartagena", "CR": "San Jose; San José", "CU": "Havana", "CV": "Praia",
    "CY": "Nicosia", "CZ": "Prague", "DE": "Berlin; Bonn; Munich; Hamburg; Frankfurt", "DJ": "Djibouti",
    "DK": "Copenhagen", "DO": "Santo Domingo", "DZ": "Algiers", "EC": "Quito", "EE": "Tallinn",
    "EG": "Cairo; Sharm el-Sheikh; Alexandria", "ER": "Asmara", "ES": "Madrid; Barcelona", "ET": "Addis Ababa",
    "FI": "Helsinki", "FJ": "Suva", "FR": "Paris; Strasbourg; Biarritz; Nice", "GA": "Libreville",
    "GB": "London; Edinburgh; Cardiff; Belfast", "GE": "Tbilisi; Batumi", "GH": "Accra", "GM": "Banjul",
    "GN": "Conakry", "GR": "Athens; Thessaloniki", "GT": "Guatemala City", "GY": "Georgetown",
    "HN": "Tegucigalpa", "HR": "Zagreb; Dubrovnik", "HT": "Port-au-Prince", "HU": "Budapest", "ID": "Jakarta; Bali",
    "IE": "Dublin", "IL": "Jerusalem; Tel Aviv", "IN": "New Delhi; Delhi; Mumbai", "IQ": "Baghdad; Erbil; Irbil",
    "IR": "Tehran", "IS": "Reykjavik; Reykjavík", "IT": "Rome; Milan; Florence; Naples", "JM": "Kingston",
    "JO": "Amman", "JP": "Tokyo; Osaka; Hiroshima; Kyoto", "KE": "Nairobi", "KG": "Bishkek; Cholpon-Ata; Osh",
    "KH": "Phnom Penh", "KP": "Pyongyang", "KR": "Seoul; Busan", "KW": "Kuwait City", "KZ": "Astana; Nur-Sultan; Almaty; Alma-Ata; Shymkent; Aktau; Turkistan",
    "LA": "Vientiane", "LB": "Beirut", "LK": "Colombo", "LR": "Monrovia", "LT": "Vilnius", "LU": "Luxembourg",
    "LV": "Riga", "LY": "Tripoli", "MA": "Rabat; Marrakesh; Marrakech", "MD": "Chisinau; Chișinău",
    "ME": "Podgorica", "MG": "Antananarivo", "MK": "Skopje", "ML": "Bamako", "MM": "Naypyidaw; Nay Pyi Taw; Yangon; Rangoon",
    "MN": "Ulaanbaatar; Ulan Bator", "MR": "Nouakchott", "MT": "Valletta", "MW": "Lilongwe", "MX": "Mexico City",
    "MY": "Kuala Lumpur; Putrajaya", "MZ": "Maputo", "NA": "Windhoek", "NE": "Niamey", "NG": "Abuja; Lagos",
    "NI": "Managua", "NL": "Amsterdam; The Hague", "NO": "Oslo", "NP": "Kathmandu", "NZ": "Wellington; Auckland",
    "OM": "Muscat", "PA": "Panama City", "PE": "Lima", "PG": "Port Moresby", "PH": "Manila", "PK": "Islamabad; Karachi; Lahore",
    "PL": "Warsaw; Krakow", "PS": "Ramallah; Gaza", "PT": "Lisbon; Porto", "PY": "Asuncion; Asunción", "QA": "Doha",
    "RO": "Bucharest", "RS": "Belgrade", "RU": "Moscow; Saint Petersburg; St. Petersburg; Sochi; Kazan; Vladivostok; Yekaterinburg",
    "RW": "Kigali", "SA": "Riyadh; Jeddah; Mecca", "SD": "Khartoum", "SE": "Stockholm", "SG": "Singapore",
    "SI": "Ljubljana", "SK": "Bratislava", "SL": "Freetown", "SN": "Dakar", "SO": "Mogadishu", "SS": "Juba",
    "SV": "San Salvador", "SY": "Damascus", "TD": "N'Djamena", "TG": "Lome; Lomé", "TH": "Bangkok",
    "TJ": "Dushanbe", "TL": "Dili", "TM": "Ashgabat; Ashkhabad; Ashgabad; Avaza; Turkmenbashi; Mary; Dashoguz",
    "TN": "Tunis", "TR": "Ankara; Istanbul; Antalya; Izmir", "TT": "Port of Spain", "TW": "Taipei",
    "TZ": "Dodoma; Dar es Salaam", "UA": "Kyiv; Kiev; Lviv; Odesa; Odessa", "UG": "Kampala", "US": "Washington; Washington, D.C.; New York; Camp David",
    "UY": "Montevideo", "UZ": "Tashkent; Samarkand; Bukhara; Khiva; Termez", "VA": "Vatican City", "VE": "Caracas",
    "VN": "Hanoi; Ho Chi Minh City", "XK": "Pristina", "YE": "Sanaa; Sana'a; Aden", "ZA": "Pretoria; Cape Town; Johannesburg",
    "ZM": "Lusaka", "ZW": "Harare",
}  # fmt: skip
"""Cities by country, `;`-separated: capitals, their other spellings, and usual venues of talks."""

_COUNTRY_BY_CITY = {
    _fold(city): code for code, cities in _CITIES_BY_COUNTRY.items() for city in cities.split("; ")
}
_LONGEST_CITY = max(len(city.split()) for city in _COUNTRY_BY_CITY)
_PLACE_WORD = r"(?:St\.|[A-Z][\w'’-]*|(?:el|al|es|ad|ar|as)-[\w'’-]+)"
_JOINER = r"(?:[ -](?:(?:de|del|la|le|da|dos|es|sur|am|upon|au|of) )?)"
_PLACE_CUE = re.compile(
    rf"\b(?:[Ii]n|[Tt]o|[Aa]t)\s+(?:the\s+city\s+of\s+)?"
    rf"(?P<place>{_PLACE_WORD}(?:{_JOINER}{_PLACE_WORD})*(?:,\s*{_PLACE_WORD}(?:{_JOINER}{_PLACE_WORD})*)?)"
)
_NOT_PLACES = set(
    "January February March April May June July August September October November December The This".split()
)


@dataclass(frozen=True)
class Place:
    """A city and the ISO code of its country."""

    city: str
    country: str


def country_of_city(city: str) -> str | None:
    """The ISO code of a city in the table ("Ashgabat" → "TM"); None if the table does not have it."""
    return _COUNTRY_BY_CITY.get(_fold(city))


def _place_from(written: str) -> tuple[Place | None, str]:
    """(the place, '') for a known "City" or "City, Country"; (None, the unknown city) otherwise."""
    city_part, _, country_part = written.partition(",")
    words = city_part.split()
    for length in range(min(len(words), _LONGEST_CITY), 0, -1):
        city = " ".join(words[:length]).rstrip(".")
        code = country_of_city(city)
        if code:
            return Place(city, code), ""
    named_country = code_for(country_part.strip()) if country_part.strip() else None
    if named_country:
        return Place(city_part.strip(), named_country), ""
    if words[0].rstrip(".") in _NOT_PLACES:
        return None, ""
    if any(code_for(" ".join(words[:length])) for length in range(1, len(words) + 1)):
        return None, ""  # "in Turkmenistan", "to Turkmenistan Kim Sang-jin": a country, not a city
    return None, city_part.strip()


def place_in(sentence: str) -> tuple[Place | None, str]:
    """The first place `sentence` puts something "in", "to" or "at": (place, '') or (None, unknown city).

    Returns (None, '') when the sentence names no capitalised place at all.
    """
    unknown = ""
    for cue in _PLACE_CUE.finditer(sentence):
        place, not_known = _place_from(cue["place"])
        if place:
            return place, ""
        unknown = unknown or not_known
    return None, unknown
