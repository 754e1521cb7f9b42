"""Benchmarks and what they need: synthetic corpora from `bench.generate`.

Nothing here is imported by the dashboard; it may import `store`, never the other way round.
"""
