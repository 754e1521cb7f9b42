"""Keeping the store between runs: the authenticated cache and the fast way to open a folder from it."""
