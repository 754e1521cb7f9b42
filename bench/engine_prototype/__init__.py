"""Prototypes of a persistent index engine, measured on the benchmark's corpus (issue #17; see docs/ENGINE.md).

`python -m bench.engine_prototype.tantivy_engine --events N`, `… .fts5_engine --events N`,
`… .numpy_segments --events N` and `… .decode --events N` each print their figures beside the issue's
targets and the read-and-parse floor measured in the same run. They are measurements, not the engine:
`store/index/persistent/` is.
"""
