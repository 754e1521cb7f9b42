"""The persistent index: an on-disk engine that every process opens instead of loading (issue #17).

It stores facts only — what files say: each event's normalised fields, its words (with positions, for
phrases), its field keys, and each file's stamp (size, mtime, ctime, inode) or problem. Who is who (people
and place resolution) is a layer computed beside it from those facts, never stored here.

One folder holds it: `facts.sqlite` (SQLite in WAL mode: the events, the files, the list of live
segments, the removed document numbers, an FTS5 table of word positions) and `segments/`, immutable files of
numpy arrays (the word and key postings, each event's day) that readers map into memory rather than read.
A commit writes its segment file first (fsynced, then renamed into place) and then names it in one SQLite
transaction: a kill at any moment leaves the last commit, and a segment no transaction names is an orphan
the next writer deletes. One writer at a time holds `writer.lock`; any number of readers open the folder
and follow the writer's commits (`PersistentReader.refresh`). Nothing is ever unpickled: arrays are raw
little-endian buffers under a JSON header, facts are JSON.

See docs/ENGINE.md for the measurements behind this design.
"""

from store.index.persistent.reader import PersistentReader
from store.index.persistent.storage import FORMAT, IndexDamaged, WriterBusy
from store.index.persistent.writer import PersistentWriter

__all__ = ["FORMAT", "IndexDamaged", "PersistentReader", "PersistentWriter", "WriterBusy"]
