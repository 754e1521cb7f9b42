"""The user's settings: `config.toml` read once at start, and the saved filters the dashboard writes back.

    $XDG_CONFIG_HOME/communique/config.toml        (default ~/.config/communique/config.toml)

        default_folder = "~/events"      # opened when no DIR is given
        theme = "textual-dark"
        bell = true                      # ring the terminal bell when an alert fires
        max_bytes = 10_000_000           # refuse event files larger than this

        [alerts]                         # name = "filter": fires when a new or changed event matches
        afghanistan = "topic:afghanistan"

        [saved_filters]                  # name = "filter": recalled from the command palette
        tm-ru = "c:TM c:RU"

    $XDG_CONFIG_HOME/communique/saved_filters.toml  written by the dashboard (`s`), one `"name" = "filter"` a line

This module owns reading both files and writing the second. The dashboard never rewrites `config.toml`: a
program that rewrites a hand-kept file loses its comments and layout, so filters saved from the dashboard go
to `saved_filters.toml`, which only we write (through a temporary file and `os.replace`, so a crash never
leaves half a file: `store.importers.atomic_write`). A name in both files takes the saved file's filter.

Reading never raises: a missing file means the defaults, a file that is not TOML falls back to the defaults
whole with one line saying where (`file:line`), and a setting of the wrong type falls back alone with one line
saying what was expected. Strings are sanitised like event text, since they end up on screen. This module
does not check that a theme exists or that a filter parses: the interface and `store.alerts` say so, once.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from store.alerts import AlertRule
from store.files.event_files import DEFAULT_MAX_BYTES
from store.importers.atomic_write import write_atomically
from store.model.sanitize import sanitize_line
from store.query.filter_syntax import FilterError, parse_filter

CONFIG_FILE = "config.toml"
SAVED_FILTERS_FILE = "saved_filters.toml"
_SAVED_FILTERS_HEADER = (
    "# Filters saved from the Communiqué dashboard (key s). Written by the dashboard: hand-kept filters\n"
    "# belong in config.toml's [saved_filters], which it never rewrites.\n"
)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def _no_filters() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Config:
    default_folder: str | None = None
    """The folder `communique` opens when no DIR is given (`~` expanded); None: the current folder."""
    theme: str | None = None
    """A Textual theme name; None: the dashboard's own default."""
    bell: bool = True
    """Ring the terminal bell when an alert fires (the notification and the mark come regardless)."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Event files larger than this many bytes are refused (a command line `--max-bytes` wins)."""
    alerts: tuple[AlertRule, ...] = ()
    """The `[alerts]` table, in file order."""
    saved_filters: Mapping[str, str] = field(default_factory=_no_filters)
    """Name → filter: `[saved_filters]` of config.toml merged with saved_filters.toml (which wins)."""


class ConfigError(Exception):
    """A saved filter could not be written; the message is one line for the user."""


def xdg_folder(variable: str, fallback: str, environ: Mapping[str, str] | None = None) -> Path:
    """`$variable/communique`, or `~/fallback/communique` when it is unset or not absolute: the XDG
    specification asks that a relative path be ignored (it would follow the current folder)."""
    base = (os.environ if environ is None else environ).get(variable, "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / fallback
    return root / "communique"


def config_folder(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/communique` (default `~/.config/communique`)."""
    return xdg_folder("XDG_CONFIG_HOME", ".config", environ)


# -- reading -------------------------------------------------------------------------------------------------


def _read_toml(path: Path) -> tuple[dict[str, Any], str | None]:
    """The file's table ({} when it does not exist) and, when it cannot be used at all, why (one line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, f"{path}: cannot be read ({error.strerror or error}); using the defaults"
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return {}, f"{path}: not UTF-8 text (byte {error.start + 1}); using the defaults"
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        where = f"{path}:{match.group(1)}" if match and match.group(1) else str(path)
        reason = message[: match.start()] if match else message
        return {}, f"{where}: {reason[:1].lower()}{reason[1:]}; using the defaults"


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError
    return sanitize_line(value)


def _folder(value: Any) -> str:
    return os.path.expanduser(_text(value))


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _byte_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TypeError
    return value


_SETTINGS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "default_folder": (_folder, "a folder in quotes"),
    "theme": (_text, "a theme name in quotes"),
    "bell": (_boolean, "true or false"),
    "max_bytes": (_byte_count, "a whole number of bytes above 0"),
}
"""Top-level setting → (check and convert, what it must be, for the warning)."""

_TABLES = ("alerts", "saved_filters")


def _shown(value: Any) -> str:
    """A value as a warning quotes it: short, one line, inert."""
    text = repr(value)
    return sanitize_line(text if len(text) <= 40 else text[:39] + "…")


def _named_filters(table: Any, where: str, warnings: list[str]) -> dict[str, str]:
    """A `name = "filter"` table; entries of the wrong type are left out with a warning each."""
    if not isinstance(table, dict):
        warnings.append(f'{where} must be a table of name = "filter" lines; ignored')
        return {}
    found: dict[str, str] = {}
    for name, value in table.items():
        try:
            found[sanitize_line(name) or "(unnamed)"] = _text(value)
        except TypeError:
            warnings.append(
                f"{where}: {_shown(name)} must be a filter in quotes, not {_shown(value)}; ignored"
            )
    return found


def _settings_from(table: dict[str, Any], path: Path, warnings: list[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key, value in table.items():
        if key in _TABLES:
            settings[key] = _named_filters(value, f"{path}: [{key}]", warnings)
            continue
        if key not in _SETTINGS:
            known = ", ".join([*_SETTINGS, *(f"[{name}]" for name in _TABLES)])
            warnings.append(f"{path}: unknown setting {_shown(key)} (known: {known}); ignored")
            continue
        convert, expected = _SETTINGS[key]
        try:
            settings[key] = convert(value)
        except TypeError:
            warnings.append(f"{path}: {key} must be {expected}, not {_shown(value)}; using the default")
    return settings


def load_config(folder: Path | None = None) -> tuple[Config, list[str]]:
    """The settings from `folder` (default `config_folder()`) and one line per thing that was wrong with them.

    Never raises: whatever is wrong falls back to the default and is said in the warnings.
    """
    folder = config_folder() if folder is None else folder
    warnings: list[str] = []
    config_path = folder / CONFIG_FILE
    table, unusable = _read_toml(config_path)
    if unusable:
        warnings.append(unusable)
    settings = _settings_from(table, config_path, warnings)
    saved = dict(settings.pop("saved_filters", {}))
    saved.update(_read_saved_filters(folder / SAVED_FILTERS_FILE, warnings))
    alerts = tuple(AlertRule(name, text) for name, text in settings.pop("alerts", {}).items())
    return Config(**settings, alerts=alerts, saved_filters=MappingProxyType(saved)), warnings


def _read_saved_filters(path: Path, warnings: list[str]) -> dict[str, str]:
    table, unusable = _read_toml(path)
    if unusable:
        warnings.append(unusable.replace("using the defaults", "its saved filters are not loaded"))
        return {}
    return _named_filters(table, str(path), warnings)


# -- writing saved filters -----------------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char < " " or char == "\x7f":
            escaped.append(f"\\u{ord(char):04x}")
        elif "\ud800" <= char <= "\udfff":
            escaped.append("\ufffd")  # a lone surrogate cannot be written as UTF-8 nor escaped in TOML
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _rewrite_saved_filters(change: Callable[[dict[str, str]], object], folder: Path | None) -> dict[str, str]:
    """Apply `change` to the saved file's filters and write them back; returns every saved filter as
    `Config.saved_filters` now reads (both files merged), which is what the command palette offers."""
    folder = config_folder() if folder is None else folder
    path = folder / SAVED_FILTERS_FILE
    table, unusable = _read_toml(path)
    if unusable:
        # Overwriting would lose every filter in it: the user must look first.
        raise ConfigError(unusable.replace("using the defaults", "fix or remove it to save filters"))
    problems: list[str] = []
    saved = _named_filters(table, str(path), problems)
    change(saved)
    lines = [f"{_toml_string(name)} = {_toml_string(text)}\n" for name, text in saved.items()]
    try:
        write_atomically(path, (_SAVED_FILTERS_HEADER + "".join(lines)).encode("utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be written ({error.strerror or error})") from None
    return dict(load_config(folder)[0].saved_filters)


def save_filter(name: str, text: str, folder: Path | None = None) -> dict[str, str]:
    """Save (or replace) a named filter in saved_filters.toml; returns every saved filter (both files).

    Raises ConfigError (one line) for an empty name, a malformed filter or a file that cannot be written.
    """
    name = sanitize_line(name)
    text = sanitize_line(text)
    if not name:
        raise ConfigError("a saved filter needs a name")
    try:
        parse_filter(text)
    except FilterError as error:
        raise ConfigError(f"not saved: bad filter: {error}") from None
    return _rewrite_saved_filters(lambda saved: saved.update({name: text}), folder)


def forget_filter(name: str, folder: Path | None = None) -> dict[str, str]:
    """Remove a filter saved from the dashboard; returns every saved filter left (both files).

    A filter of config.toml's `[saved_filters]` is not removed (the dashboard never rewrites that file), so a
    name in both files comes back with config.toml's filter.
    """
    return _rewrite_saved_filters(lambda saved: saved.pop(sanitize_line(name), None), folder)
