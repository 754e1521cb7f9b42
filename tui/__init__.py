"""The Textual dashboard over a `store.EventStore`: panes, keys, live updates.

It owns presentation only: every question about events goes to the store (queries, aggregates, cross
references, problems), and nothing here parses files, folds words or indexes anything. Text from event files
is untrusted: it is only ever shown through Rich `Text` / Textual `Content` objects built from plain strings,
never interpreted as markup.
"""
