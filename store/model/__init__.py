"""The event model: what a file's JSON must be (`validate`), the normalised `Event`, and the small
vocabularies every other room shares (dates, countries, names, tags, folding, sanitising, problems, changes).
It imports nothing else of the store, so every room may import it.
"""
