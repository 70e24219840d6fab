"""Frames set aside on disk by key while they are produced, read back one key at a time.

A full build reads every report's rows once, in batches, but some of its work needs them grouped
otherwise (the facts by partition, the rows derive reads by agency): each batch's rows are
appended to an Arrow IPC stream per key in a scratch folder (LZ4), so what is held is one batch
while writing and one key's rows while reading, never every row.
"""

from __future__ import annotations

import shutil
from collections.abc import Hashable
from pathlib import Path
from types import TracebackType

import polars as pl
import pyarrow as pa


class Spill:
    """Arrow IPC streams of `schema`'s rows, one per key, under `folder` (removed on exit)."""

    def __init__(self, folder: Path, schema: pl.Schema) -> None:
        self.folder = Path(folder)
        self.schema = schema
        self._arrow = pl.DataFrame(schema=schema).to_arrow().schema
        self._options = pa.ipc.IpcWriteOptions(compression="lz4")
        self._paths: dict[Hashable, Path] = {}
        self._open: dict[Hashable, tuple[pa.NativeFile, pa.ipc.RecordBatchStreamWriter]] = {}

    def __enter__(self) -> Spill:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.remove()

    def append(self, key: Hashable, rows: pl.DataFrame, name: str | None = None) -> None:
        """Append rows to the key's stream (a file `name` under the folder, or a number, started on
        its first rows). A stream closed (read) is not appended to again."""
        if key not in self._open:
            assert key not in self._paths, f"spill {self.folder}: stream {key!r} appended to after it was read"
            target = self.folder / (name or f"{len(self._paths)}.arrows")
            target.parent.mkdir(parents=True, exist_ok=True)
            sink = pa.OSFile(str(target), "wb")
            self._open[key] = (sink, pa.ipc.new_stream(sink, self._arrow, options=self._options))
            self._paths[key] = target
        table = rows.select(list(self.schema)).cast(self.schema).to_arrow()
        # Arrow's cast imports pyarrow.compute (25 ms, nothing else a night runs needs it): only
        # when polars' arrow types differ from the stream's.
        if table.schema != self._arrow:
            table = table.cast(self._arrow)
        self._open[key][1].write_table(table)

    def close(self) -> None:
        """Finish every stream (each is read back only once closed)."""
        for sink, writer in self._open.values():
            writer.close()
            sink.close()
        self._open.clear()

    def keys(self) -> list[Hashable]:
        return list(self._paths)

    def read(self, key: Hashable) -> pl.DataFrame:
        """The key's rows in the order appended (none for a key never appended to)."""
        if key in self._open:
            self.close()
        if key not in self._paths:
            return pl.DataFrame(schema=self.schema)
        return pl.read_ipc_stream(self._paths[key])

    def remove(self) -> None:
        for sink, _ in self._open.values():
            sink.close()
        self._open.clear()
        shutil.rmtree(self.folder, ignore_errors=True)
