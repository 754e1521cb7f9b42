"""Segment files: immutable bundles of numpy arrays, mapped into memory by every reader.

A segment file is `MAGIC`, an 8-byte little-endian header length, a JSON header naming each array (dtype,
length, byte offset) and the arrays' raw bytes, each aligned to 64 bytes. Opening one maps it read-only
(`numpy.memmap`): no array is copied or parsed, so opening an index of any size costs a few system calls,
and the pages are shared by every process that maps the same file (ten serve sessions hold one copy).
Nothing here can run code: the header is JSON and the arrays are plain numbers, unlike a pickle.

A `TermTable` is the layout the in-memory `WordPostings` freezes into — a sorted vocabulary and every
term's document numbers end to end with offsets beside them — stored as four arrays. The terms starting
with a prefix are one contiguous range of the vocabulary, so a prefix's documents are one slice.

This module only writes and maps files; what goes into a segment is `store.index.persistent.writer`'s.
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"CQSEGMENT1\n"
"""The first bytes of every segment file: a file without them is not ours (damaged or foreign)."""
_ALIGN = 64
_BEYOND_UTF8 = b"\xff"
"""Sorts after every continuation of a UTF-8 prefix (0xFF never occurs in UTF-8)."""


class SegmentDamaged(ValueError):
    """A segment file that is truncated, foreign or inconsistent with its header."""


def write_segment(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write the arrays to `path` atomically and durably: a temporary file, fsynced, renamed into place,
    the folder fsynced. A crash leaves either no file at `path` or the whole file."""
    header: dict[str, dict[str, object]] = {}
    offset = 0
    blobs = []
    for name, values in arrays.items():
        data = np.ascontiguousarray(values)
        dtype = data.dtype.newbyteorder("<") if data.dtype.byteorder == ">" else data.dtype
        header[name] = {"dtype": dtype.str, "length": int(data.shape[0]), "offset": offset}
        raw = data.astype(dtype, copy=False).tobytes()
        blobs.append(raw)
        offset += len(raw) + (-len(raw)) % _ALIGN
    head = json.dumps({"arrays": header}, sort_keys=True).encode()
    start = len(MAGIC) + 8 + len(head)
    start += (-start) % _ALIGN
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(MAGIC + len(head).to_bytes(8, "little") + head)
        handle.write(b"\0" * (start - handle.tell()))
        for raw in blobs:
            handle.write(raw)
            handle.write(b"\0" * ((-len(raw)) % _ALIGN))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or an unlink in `folder` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def map_segment(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a segment file, mapped read-only. Raises SegmentDamaged for anything not ours.

    The file is opened once, and its size and every map come from that one open file: a writer may replace
    the name at any moment (`write_segment`), and a map of the name opened again could reach a newer,
    shorter file than the one whose header was read."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if handle.read(len(MAGIC)) != MAGIC:
            raise SegmentDamaged(f"{path.name}: not a segment file")
        length = int.from_bytes(handle.read(8), "little")
        if length > size:
            raise SegmentDamaged(f"{path.name}: header beyond the end of the file")
        try:
            header = json.loads(handle.read(length))["arrays"]
        except (ValueError, KeyError, TypeError) as error:
            raise SegmentDamaged(f"{path.name}: unreadable header ({error})") from None
        start = len(MAGIC) + 8 + length
        start += (-start) % _ALIGN
        arrays: dict[str, np.ndarray] = {}
        for name, spec in header.items():
            dtype = np.dtype(spec["dtype"])
            if dtype.hasobject:
                raise SegmentDamaged(f"{path.name}: array {name} is not plain numbers")
            count, offset = int(spec["length"]), start + int(spec["offset"])
            if offset + count * dtype.itemsize > size:
                raise SegmentDamaged(f"{path.name}: array {name} runs past the end of the file")
            if count == 0:
                arrays[name] = np.empty(0, dtype=dtype)
            else:
                arrays[name] = np.memmap(handle, dtype=dtype, mode="r", offset=offset, shape=(count,))
    return arrays


@dataclass(frozen=True)
class TermTable:
    """Sorted terms (UTF-8 bytes) and each term's sorted document numbers, as four arrays."""

    text: np.ndarray
    """Every term's bytes end to end (uint8)."""
    ends: np.ndarray
    """Where each term's bytes end in `text` (int64, one per term)."""
    offsets: np.ndarray
    """Where each term's documents start in `postings` (int64, one per term plus the end)."""
    postings: np.ndarray
    """Document numbers (uint32), term after term."""

    @staticmethod
    def arrays(
        prefix: str, vocabulary: list[bytes], offsets: np.ndarray, postings: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The four arrays of a table, named for a segment file, from a frozen `WordPostings`' parts."""
        lengths = np.fromiter(map(len, vocabulary), dtype=np.int64, count=len(vocabulary))
        return {
            f"{prefix}.text": np.frombuffer(b"".join(vocabulary), dtype=np.uint8),
            f"{prefix}.ends": np.cumsum(lengths, dtype=np.int64),
            f"{prefix}.offsets": np.asarray(offsets, dtype=np.int64),
            f"{prefix}.postings": np.asarray(postings, dtype=np.uint32),
        }

    @classmethod
    def of(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> TermTable:
        table = cls(*(arrays[f"{prefix}.{part}"] for part in ("text", "ends", "offsets", "postings")))
        if len(table.offsets) != len(table.ends) + 1:
            raise SegmentDamaged(f"{prefix}: offsets do not match the vocabulary")
        return table

    def __len__(self) -> int:
        return len(self.ends)

    def term(self, number: int) -> bytes:
        start = int(self.ends[number - 1]) if number else 0
        return self.text[start : int(self.ends[number])].tobytes()

    def terms(self, first: int, end: int) -> list[bytes]:
        """Terms [first, end), cut from one copy of their bytes (a merge reads whole vocabularies)."""
        if end <= first:
            return []
        start = int(self.ends[first - 1]) if first else 0
        ends = (self.ends[first:end] - start).tolist()
        text = self.text[start : start + ends[-1]].tobytes()
        return [text[begin:stop] for begin, stop in zip([0, *ends], ends, strict=False)]

    def find(self, term: bytes) -> int:
        """The term's number, or -1."""
        number = bisect.bisect_left(range(len(self)), term, key=self.term)
        return number if number < len(self) and self.term(number) == term else -1

    def prefix_range(self, prefix: bytes) -> tuple[int, int]:
        """The numbers [first, end) of the terms that start with prefix."""
        first = bisect.bisect_left(range(len(self)), prefix, key=self.term)
        end = bisect.bisect_left(range(len(self)), prefix + _BEYOND_UTF8, first, key=self.term)
        return first, end

    def documents(self, first: int, end: int | None = None) -> np.ndarray:
        """The documents of terms [first, end) end to end (of term `first` alone when end is None)."""
        end = first + 1 if end is None else end
        return self.postings[int(self.offsets[first]) : int(self.offsets[end])]
