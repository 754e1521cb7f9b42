"""The headless core of Communiqué: event files in, answers out.

Everything here is pure Python with no user interface: the event format and its validation, normalisation,
the index with its cache, the filter language, cross-references and the folder watcher. It never imports
textual, rich, tui or cli (an import contract checked by `make test`), so a script or a web page could use it
unchanged.
"""
