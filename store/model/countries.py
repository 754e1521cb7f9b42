"""Country names to ISO 3166-1 alpha-2 codes, and back.

Events name countries by code (`"TM"`, `"RU"`), but the texts they come from name them in every way people
write: "the Russian Federation", "Korea, Republic of", "U.S.S.R.", "Cote d’Ivoire", "the Turkmen side". This
module owns that mapping, so importers, the draft extractor and the validator agree on one table. It is pure
data and string folding: it never reads files or guesses from context ("Korean" and "Congo" alone are
ambiguous and give None).

Decisions worth knowing:
- `COUNTRY_CODES` holds the 249 officially assigned codes plus `XK` (Kosovo): XK is user-assigned, not
  official, but the EU, the IMF and the US State Department use it, and without it an event held in Pristina
  could not be recorded.
- A former state maps to the current state that holds its former capital, which for the Soviet Union,
  Yugoslavia and Serbia and Montenegro is also the continuator state: "Soviet Union"/"U.S.S.R." → RU,
  "Yugoslavia" → RS, "Czechoslovakia" → CZ, "German Democratic Republic"/"West Germany" → DE, "Zaire" → CD,
  "Netherlands Antilles" → CW, "Southern Rhodesia" → ZW. Retired codes (SU, YU, CS, DD, ZR, AN) are never
  returned, so every code this module gives passes the validator. Keep the name as written in titles or
  summaries when the history matters.
"""

from __future__ import annotations

import re
import unicodedata

UNITED_STATES = "US"
"""The United States' code: the history-state importers add it to every event (its records are US travel)."""

_NAMES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica",
    "AR": "Argentina", "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba",
    "AX": "Åland Islands", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados",
    "BD": "Bangladesh", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain",
    "BI": "Burundi", "BJ": "Benin", "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei",
    "BO": "Bolivia", "BQ": "Bonaire, Sint Eustatius and Saba", "BR": "Brazil", "BS": "Bahamas",
    "BT": "Bhutan", "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize",
    "CA": "Canada", "CC": "Cocos (Keeling) Islands", "CD": "Democratic Republic of the Congo",
    "CF": "Central African Republic", "CG": "Republic of the Congo", "CH": "Switzerland",
    "CI": "Côte d'Ivoire", "CK": "Cook Islands", "CL": "Chile", "CM": "Cameroon", "CN": "China",
    "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cabo Verde", "CW": "Curaçao",
    "CX": "Christmas Island", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DJ": "Djibouti",
    "DK": "Denmark", "DM": "Dominica", "DO": "Dominican Republic", "DZ": "Algeria", "EC": "Ecuador",
    "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea", "ES": "Spain",
    "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji", "FK": "Falkland Islands", "FM": "Micronesia",
    "FO": "Faroe Islands", "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada",
    "GE": "Georgia", "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar",
    "GL": "Greenland", "GM": "Gambia", "GN": "Guinea", "GP": "Guadeloupe", "GQ": "Equatorial Guinea",
    "GR": "Greece", "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory",
    "IQ": "Iraq", "IR": "Iran", "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica",
    "JO": "Jordan", "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati",
    "KM": "Comoros", "KN": "Saint Kitts and Nevis", "KP": "North Korea", "KR": "South Korea",
    "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon",
    "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia", "LS": "Lesotho",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco", "MC": "Monaco",
    "MD": "Moldova", "ME": "Montenegro", "MF": "Saint Martin", "MG": "Madagascar",
    "MH": "Marshall Islands", "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia",
    "MO": "Macao", "MP": "Northern Mariana Islands", "MQ": "Martinique", "MR": "Mauritania",
    "MS": "Montserrat", "MT": "Malta", "MU": "Mauritius", "MV": "Maldives", "MW": "Malawi", "MX": "Mexico",
    "MY": "Malaysia", "MZ": "Mozambique", "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger",
    "NF": "Norfolk Island", "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway",
    "NP": "Nepal", "NR": "Nauru", "NU": "Niue", "NZ": "New Zealand", "OM": "Oman", "PA": "Panama",
    "PE": "Peru", "PF": "French Polynesia", "PG": "Papua New Guinea", "PH": "Philippines",
    "PK": "Pakistan", "PL": "Poland", "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn",
    "PR": "Puerto Rico", "PS": "Palestine", "PT": "Portugal", "PW": "Palau", "PY": "Paraguay",
    "QA": "Qatar", "RE": "Réunion", "RO": "Romania", "RS": "Serbia", "RU": "Russia", "RW": "Rwanda",
    "SA": "Saudi Arabia", "SB": "Solomon Islands", "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden",
    "SG": "Singapore", "SH": "Saint Helena, Ascension and Tristan da Cunha", "SI": "Slovenia",
    "SJ": "Svalbard and Jan Mayen", "SK": "Slovakia", "SL": "Sierra Leone", "SM": "San Marino",
    "SN": "Senegal", "SO": "Somalia", "SR": "Suriname", "SS": "South Sudan", "ST": "Sao Tome and Principe",
    "SV": "El Salvador", "SX": "Sint Maarten", "SY": "Syria", "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands", "TD": "Chad", "TF": "French Southern Territories", "TG": "Togo",
    "TH": "Thailand", "TJ": "Tajikistan", "TK": "Tokelau", "TL": "Timor-Leste", "TM": "Turkmenistan",
    "TN": "Tunisia", "TO": "Tonga", "TR": "Türkiye", "TT": "Trinidad and Tobago", "TV": "Tuvalu",
    "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda",
    "UM": "United States Minor Outlying Islands", "US": "United States", "UY": "Uruguay",
    "UZ": "Uzbekistan", "VA": "Holy See", "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VG": "British Virgin Islands", "VI": "United States Virgin Islands", "VN": "Vietnam", "VU": "Vanuatu",
    "WF": "Wallis and Futuna", "WS": "Samoa", "YE": "Yemen", "YT": "Mayotte", "ZA": "South Africa",
    "ZM": "Zambia", "ZW": "Zimbabwe",
    "XK": "Kosovo",
}  # fmt: skip

COUNTRY_CODES: frozenset[str] = frozenset(_NAMES)
"""Every code an event may use: the 249 official ISO 3166-1 alpha-2 codes, plus XK (see the module docstring)."""

_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "Emirates"),
    "BA": ("Bosnia-Herzegovina", "Bosnia"),
    "BN": ("Brunei Darussalam",),
    "BO": ("Plurinational State of Bolivia",),
    "BS": ("The Bahamas",),
    "BY": ("Byelorussia", "Belorussia", "Byelorussian SSR"),
    "CD": ("Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa", "Zaire"),
    "CG": ("Republic of Congo", "Congo-Brazzaville", "Congo Republic"),
    "CI": ("Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"),
    "CN": ("People's Republic of China", "PRC", "Mainland China"),
    "CV": ("Cape Verde",),
    "CW": ("Netherlands Antilles",),
    "CZ": ("Czech Republic", "Czechoslovakia", "Czecho-Slovakia"),
    "DE": ("Federal Republic of Germany", "West Germany", "East Germany", "German Democratic Republic", "GDR"),
    "FK": ("Falkland Islands (Malvinas)", "Falklands", "Malvinas"),
    "FM": ("Federated States of Micronesia",),
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland",
           "England", "Scotland", "Wales", "Northern Ireland"),
    "GM": ("The Gambia",),
    "IR": ("Islamic Republic of Iran", "Persia"),
    "KG": ("Kyrgyz Republic", "Kirghizia", "Kirgizia"),
    "KH": ("Kampuchea",),
    "KP": ("Democratic People's Republic of Korea", "DPRK", "Korea North"),
    "KR": ("Republic of Korea", "ROK", "Korea South"),
    "LA": ("Lao People's Democratic Republic", "Lao PDR"),
    "LK": ("Ceylon",),
    "MD": ("Republic of Moldova",),
    "MK": ("Macedonia", "Former Yugoslav Republic of Macedonia", "FYROM", "Republic of North Macedonia"),
    "MM": ("Burma",),
    "MO": ("Macau",),
    "NL": ("Holland", "The Netherlands"),
    "PS": ("State of Palestine", "Palestinian Territories", "Palestinian Authority", "West Bank", "Gaza"),
    "RS": ("Yugoslavia", "Federal Republic of Yugoslavia", "Socialist Federal Republic of Yugoslavia",
           "Serbia and Montenegro", "Serbia-Montenegro"),
    "RU": ("Russian Federation", "Soviet Union", "USSR", "Union of Soviet Socialist Republics"),
    "SK": ("Slovak Republic",),
    "SY": ("Syrian Arab Republic",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor", "Timor Leste"),
    "TR": ("Turkey", "Turkiye", "Republic of Türkiye"),
    "TW": ("Republic of China", "Chinese Taipei"),
    "TZ": ("United Republic of Tanzania",),
    "US": ("United States of America", "USA", "U.S.", "U.S.A.", "America"),
    "VA": ("Vatican", "Vatican City", "Vatican City State"),
    "VE": ("Bolivarian Republic of Venezuela",),
    "VN": ("Viet Nam", "Socialist Republic of Vietnam", "South Vietnam", "North Vietnam"),
    "YE": ("North Yemen", "South Yemen"),
    "ZW": ("Rhodesia", "Southern Rhodesia"),
    "BJ": ("Dahomey",),
    "BF": ("Upper Volta",),
    "TH": ("Siam",),
}  # fmt: skip
"""Long, short, older and former names (see the module docstring for former states)."""

_DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan",), "AL": ("Albanian",), "AM": ("Armenian",), "AO": ("Angolan",), "AR": ("Argentine",
    "Argentinian"), "AT": ("Austrian",), "AU": ("Australian",), "AZ": ("Azerbaijani", "Azeri"),
    "BA": ("Bosnian",), "BD": ("Bangladeshi",), "BE": ("Belgian",), "BG": ("Bulgarian",), "BH": ("Bahraini",),
    "BR": ("Brazilian",), "BY": ("Belarusian",), "CA": ("Canadian",), "CH": ("Swiss",), "CL": ("Chilean",),
    "CN": ("Chinese",), "CO": ("Colombian",), "CU": ("Cuban",), "CY": ("Cypriot",), "CZ": ("Czech",),
    "DE": ("German",), "DK": ("Danish",), "DZ": ("Algerian",), "EE": ("Estonian",), "EG": ("Egyptian",),
    "ES": ("Spanish",), "ET": ("Ethiopian",), "FI": ("Finnish",), "FR": ("French",), "GB": ("British",),
    "GE": ("Georgian",), "GR": ("Greek",), "HR": ("Croatian",), "HU": ("Hungarian",), "ID": ("Indonesian",),
    "IE": ("Irish",), "IL": ("Israeli",), "IN": ("Indian",), "IQ": ("Iraqi",), "IR": ("Iranian",),
    "IS": ("Icelandic",), "IT": ("Italian",), "JO": ("Jordanian",), "JP": ("Japanese",), "KE": ("Kenyan",),
    "KG": ("Kyrgyz",), "KW": ("Kuwaiti",), "KZ": ("Kazakh", "Kazakhstani"), "LB": ("Lebanese",),
    "LT": ("Lithuanian",), "LV": ("Latvian",), "LY": ("Libyan",), "MA": ("Moroccan",), "MD": ("Moldovan",),
    "MN": ("Mongolian",), "MX": ("Mexican",), "MY": ("Malaysian",), "NG": ("Nigerian",), "NL": ("Dutch",),
    "NO": ("Norwegian",), "NZ": ("New Zealander",), "OM": ("Omani",), "PK": ("Pakistani",),
    "PL": ("Polish",), "PS": ("Palestinian",), "PT": ("Portuguese",), "QA": ("Qatari",),
    "RO": ("Romanian",), "RS": ("Serbian",), "RU": ("Russian", "Soviet"), "SA": ("Saudi",),
    "SE": ("Swedish",), "SG": ("Singaporean",), "SI": ("Slovenian", "Slovene"), "SK": ("Slovak",),
    "SY": ("Syrian",), "TH": ("Thai",), "TJ": ("Tajik", "Tajikistani"), "TM": ("Turkmen", "Turkmenistani"),
    "TN": ("Tunisian",), "TR": ("Turkish",), "UA": ("Ukrainian",), "US": ("American",),
    "UZ": ("Uzbek", "Uzbekistani"), "VE": ("Venezuelan",), "VN": ("Vietnamese",), "YE": ("Yemeni",),
    "ZA": ("South African",), "AE": ("Emirati",), "KP": ("North Korean",), "KR": ("South Korean",),
    "PH": ("Filipino", "Philippine"), "ME": ("Montenegrin",), "MK": ("Macedonian",),
    "LU": ("Luxembourgish",), "MT": ("Maltese",), "NP": ("Nepali", "Nepalese"), "LK": ("Sri Lankan",),
    "MM": ("Burmese",), "KH": ("Cambodian",), "LA": ("Lao", "Laotian"), "TW": ("Taiwanese",),
}  # fmt: skip
"""Adjectives and demonyms as press releases use them: "the Turkmen side", "Russian Foreign Minister"."""

_WORD_SUBSTITUTES = {"st": "saint", "&": "and"}
_DROPPED_WORDS = {"the"}
_INVERTED = re.compile(r"^(?P<head>[^,]+),\s*(?P<tail>[^,]+)$")


def fold_name(text: str) -> str:
    """A name folded for lookup: no accents, case, dots, hyphens, curly quotes or the word "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.casefold().replace("’", "'").replace("‘", "'").replace(".", "").replace("-", " ")
    words = [_WORD_SUBSTITUTES.get(word, word) for word in plain.split()]
    return " ".join(word for word in words if word not in _DROPPED_WORDS)


def _lookup_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, name in _NAMES.items():
        table[fold_name(name)] = code
    for source in (_OTHER_NAMES, _DEMONYMS):
        for code, names in source.items():
            for name in names:
                table[fold_name(name)] = code
    return table


_BY_FOLDED_NAME = _lookup_table()


def code_for(name: str) -> str | None:
    """The ISO code for a country name, short/long/former form or demonym; None when unknown or ambiguous.

    An upper-case code that is already valid is returned as is ("TM" → "TM"). Inverted catalogue forms
    work too: "Korea, Republic of" → "KR", "Korea, South" → "KR".
    """
    stripped = name.strip()
    if stripped in COUNTRY_CODES:
        return stripped
    folded = fold_name(stripped)
    if folded in _BY_FOLDED_NAME:
        return _BY_FOLDED_NAME[folded]
    inverted = _INVERTED.match(stripped)
    if inverted:
        return _BY_FOLDED_NAME.get(fold_name(f"{inverted['tail']} {inverted['head']}"))
    return None


def name_for(code: str) -> str:
    """The common English short name of a code ("GB" → "United Kingdom"); an unknown code comes back as given."""
    return _NAMES.get(code.strip().upper(), code)
