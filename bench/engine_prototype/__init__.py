"""Prototypes of a persistent index engine, measured on the benchmark's corpus (issue #17; see docs/ENGINE.md).

`python -m bench.engine_prototype.tantivy_engine --events N`, `… .fts5_engine --events N`,
`… .segments --events N` (the chosen design) and `… .decode --events N` each print their figures beside
the issue's targets and the read-and-parse floor measured in the same run; `… .open_scale --docs N` opens
the chosen design at N synthetic documents (the 1,000,000-event targets). They are measurements, not the engine:
`store/index/persistent/` is.
"""
