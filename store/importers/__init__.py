"""Importers: public records of diplomatic events turned into event dicts of the format (README, version 1).

Each importer reads one collection (today the US Office of the Historian's travels of the Secretary of State
and visits of foreign leaders) and gives plain dicts ready to write as event files; `event_files` writes them
in place, atomically, so re-running an import updates files instead of duplicating them. The text helpers
(`people`, `organizations`) are shared with the press-release drafts (`store.drafts.draft`).

Nothing here prints, exits or knows about argparse: records that cannot be converted come back as one-line
problems for the caller (the `communique import` command) to report.
"""
