"""Where the dashboard may write an export: anywhere in a terminal, only into one folder in a browser.

`communique serve` runs a dashboard for each browser tab with `COMMUNIQUE_SERVED=1` and, when it was given
`--export-folder DIR`, `COMMUNIQUE_EXPORT_FOLDER=DIR` in its environment. A person at the browser is not
necessarily the one who started the server, so under serve an export goes only into that folder, as a plain
file directly in it: a relative name lands there, and a path elsewhere, into a subfolder, through a link, or
onto a dot-file (`.bashrc`, when the folder is a home) is refused with one line. Without the folder, exports
are off under serve. Replacing a file that exists still asks for a second Enter (the export dialog).

This module only answers questions about paths: it never writes, and never imports the interface.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SERVED_VARIABLE = "COMMUNIQUE_SERVED"
"""Set to 1 in the environment of a dashboard that `communique serve` runs."""
EXPORT_FOLDER_VARIABLE = "COMMUNIQUE_EXPORT_FOLDER"
"""The one folder a served dashboard may export into (an absolute path)."""


def served_export_folder(environ: Mapping[str, str] | None = None) -> str | None:
    """The export folder of a served dashboard ("" when serve gave none); None when not served."""
    environ = os.environ if environ is None else environ
    if environ.get(SERVED_VARIABLE, "") in ("", "0"):
        return None
    return environ.get(EXPORT_FOLDER_VARIABLE, "")


def export_target(path: str, environ: Mapping[str, str] | None = None) -> str:
    """The absolute file a typed path stands for: `~` expanded, relative to the export folder under serve
    and to the current folder otherwise."""
    typed = os.path.expanduser(path.strip())
    folder = served_export_folder(environ)
    if folder and not os.path.isabs(typed):
        typed = os.path.join(folder, typed)
    return os.path.abspath(typed)


def served_export_problem(target: str, environ: Mapping[str, str] | None = None) -> str | None:
    """Why a served dashboard may not write `target` (one line), or None (also when not served)."""
    folder = served_export_folder(environ)
    if folder is None:
        return None
    if not folder:
        return "exports are off in the browser: start communique serve with --export-folder DIR"
    name = os.path.basename(target)
    if os.path.realpath(os.path.dirname(target)) != os.path.realpath(folder):
        return f"in the browser, exports go only into {folder}: give a file name"
    if name.startswith("."):
        return "in the browser, an export's name cannot start with a dot"
    if os.path.islink(target) or (os.path.lexists(target) and not os.path.isfile(target)):
        return f"{name} is not a plain file: choose another name"
    return None
