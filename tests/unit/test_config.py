"""The config file: good, missing, broken, wrongly typed; where it is found; saved filters written back."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from store.alerts import AlertRule
from store.config import (
    CONFIG_FILE,
    SAVED_FILTERS_FILE,
    Config,
    ConfigError,
    config_folder,
    forget_filter,
    load_config,
    save_filter,
)
from store.files.event_files import DEFAULT_MAX_BYTES

GOOD = """\
# the analyst's settings
default_folder = "~/events"
theme = "nord"
bell = false
max_bytes = 2_000_000

[alerts]
afghanistan = "topic:afghanistan"
"Galuzin in Ashgabat" = 'p:galuzin place:ashgabat'

[saved_filters]
tm-ru = "c:TM c:RU"
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config folder, found through XDG_CONFIG_HOME as the program finds it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "xdg" / "communique"
    path.mkdir(parents=True)
    return path


def write_config(folder: Path, text: str | bytes) -> Path:
    path = folder / CONFIG_FILE
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_good_config_sets_everything(folder: Path) -> None:
    write_config(folder, GOOD)
    config, warnings = load_config()
    assert warnings == []
    assert config.default_folder == os.path.expanduser("~/events")
    assert config.theme == "nord"
    assert config.bell is False
    assert config.max_bytes == 2_000_000
    assert config.alerts == (
        AlertRule("afghanistan", "topic:afghanistan"),
        AlertRule("Galuzin in Ashgabat", "p:galuzin place:ashgabat"),
    )
    assert dict(config.saved_filters) == {"tm-ru": "c:TM c:RU"}
    with pytest.raises(AttributeError):
        config.bell = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.saved_filters["new"] = "x"  # type: ignore[index]


def test_a_missing_file_means_the_defaults_without_a_word(folder: Path) -> None:
    assert load_config() == (Config(), [])
    defaults = Config()
    assert (defaults.default_folder, defaults.theme, defaults.bell) == (None, None, True)
    assert defaults.max_bytes == DEFAULT_MAX_BYTES and defaults.alerts == () and not defaults.saved_filters


def test_a_syntax_error_falls_back_to_the_defaults_with_file_and_line(folder: Path) -> None:
    path = write_config(folder, 'theme = "nord"\nbell = true\nmax_bytes = = 3\n')
    config, warnings = load_config()
    assert config == Config()
    assert warnings == [f"{path}:3: invalid value; using the defaults"]


@pytest.mark.parametrize(
    "text, where",
    [('theme = "unterminated\n', "config.toml"), (b"theme = '\xff'\n", "config.toml"), ("[alerts\n", ":1")],
)
def test_every_unreadable_file_is_one_line(folder: Path, text: str | bytes, where: str) -> None:
    write_config(folder, text)
    config, warnings = load_config()
    assert config == Config()
    (warning,) = warnings
    assert where in warning and warning.endswith("using the defaults") and "\n" not in warning


def test_wrong_types_fall_back_one_setting_at_a_time(folder: Path) -> None:
    path = write_config(
        folder,
        'theme = 3\nbell = "yes"\nmax_bytes = -1\ndefault_folder = "~/ok"\ncolour = "red"\n'
        '[alerts]\ngood = "kind:call"\nbad = 7\n[saved_filters]\nx = ["a"]\n',
    )
    config, warnings = load_config()
    assert config.default_folder == os.path.expanduser("~/ok")
    assert (config.theme, config.bell, config.max_bytes) == (None, True, DEFAULT_MAX_BYTES)
    assert config.alerts == (AlertRule("good", "kind:call"),)
    assert not config.saved_filters
    assert warnings == [
        f"{path}: theme must be a theme name in quotes, not 3; using the default",
        f"{path}: bell must be true or false, not 'yes'; using the default",
        f"{path}: max_bytes must be a whole number of bytes above 0, not -1; using the default",
        f"{path}: unknown setting 'colour' (known: default_folder, theme, bell, max_bytes, [alerts],"
        " [saved_filters]); ignored",
        f"{path}: [alerts]: 'bad' must be a filter in quotes, not 7; ignored",
        f"{path}: [saved_filters]: 'x' must be a filter in quotes, not ['a']; ignored",
    ]


def test_a_table_that_is_not_a_table_and_hostile_text(folder: Path) -> None:
    write_config(folder, 'alerts = "topic:x"\ntheme = "\\u001b[31mred"\nbell = 1\n')
    config, warnings = load_config()
    assert config.alerts == () and config.bell is True
    assert config.theme == "\u241b[31mred"  # sanitised like event text: it ends up on screen
    assert "[alerts] must be a table" in warnings[0]
    assert "bell must be true or false, not 1" in warnings[1]


def test_xdg_config_home_is_honoured_and_a_relative_one_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    assert config_folder() == tmp_path / "elsewhere" / "communique"
    (tmp_path / "elsewhere" / "communique").mkdir(parents=True)
    (tmp_path / "elsewhere" / "communique" / CONFIG_FILE).write_text('theme = "gruvbox"\n')
    assert load_config()[0].theme == "gruvbox"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")
    assert config_folder() == tmp_path / "home" / ".config" / "communique"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config_folder() == tmp_path / "home" / ".config" / "communique"
    assert config_folder({"XDG_CONFIG_HOME": "/etc/xdg"}) == Path("/etc/xdg/communique")


def test_saved_filters_are_written_to_their_own_file_and_win(folder: Path) -> None:
    config_path = write_config(folder, GOOD)
    before = config_path.read_bytes()
    name = 'tricky "name" \\ with = and #'
    text = 'p:"Vepa Hadjiev" -kind:call c:tm'
    assert save_filter(name, text) == {"tm-ru": "c:TM c:RU", name: text}
    assert save_filter("tm-ru", "c:TM c:RU from:2023") == {"tm-ru": "c:TM c:RU from:2023", name: text}
    assert config_path.read_bytes() == before  # the hand-kept file is never rewritten
    saved_path = folder / SAVED_FILTERS_FILE
    assert tomllib.loads(saved_path.read_text()) == {name: text, "tm-ru": "c:TM c:RU from:2023"}
    assert sorted(p.name for p in folder.iterdir()) == [CONFIG_FILE, SAVED_FILTERS_FILE]  # no temporary left
    config, warnings = load_config()
    assert warnings == []
    assert dict(config.saved_filters) == {"tm-ru": "c:TM c:RU from:2023", name: text}
    assert forget_filter(name) == {"tm-ru": "c:TM c:RU from:2023"}
    assert forget_filter("tm-ru") == {"tm-ru": "c:TM c:RU"}  # config.toml's own comes back
    assert tomllib.loads(saved_path.read_text()) == {}


def test_saving_refuses_bad_filters_empty_names_and_a_damaged_file(folder: Path) -> None:
    with pytest.raises(ConfigError, match="bad filter: unterminated quote"):
        save_filter("x", 'p:"open')
    with pytest.raises(ConfigError, match="needs a name"):
        save_filter("  ", "kind:call")
    damaged = folder / SAVED_FILTERS_FILE
    damaged.write_text("x = \n")
    with pytest.raises(ConfigError, match=r"saved_filters.toml:1: .*fix or remove it"):
        save_filter("y", "kind:call")
    assert damaged.read_text() == "x = \n"  # not overwritten: the user's filters are still in there
    config, warnings = load_config()
    assert config == Config()
    assert warnings == [f"{damaged}:1: invalid value; its saved filters are not loaded"]


def test_control_characters_in_a_saved_filter_are_made_inert(folder: Path) -> None:
    saved = save_filter("red\x1b[31m", "galuzin\x7f")  # in a folder without config.toml
    assert saved == {"red\u241b[31m": "galuzin\ufffd"}
    assert "\x1b" not in (folder / SAVED_FILTERS_FILE).read_text()
