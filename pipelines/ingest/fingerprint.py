"""What the last published build was made from, and a cheap check that nothing has changed since.

A build's inputs are the raw folder's files (names, sizes, mtimes) and the entries it refuses
(links, FIFOs, …), what the collector gave (manifest.csv, and the fetch log beside the folder),
the analyst's report_choice.csv beside the folder, and the code that turns them into tables
(pipelines/, models/, sql/). Their fingerprint, with the published warehouse file's size and
mtime, is saved beside the parse store's bookkeeping when a build publishes. `xxgk build` and the
nightly schedule compare it before Dagster is even imported: a night with nothing new costs a
directory listing and a few hashes, not a run.

Only the standard library here, and the raw folder's survey (standard library too: not polars,
pandera or Dagster): the check must stay cheaper than the imports it spares.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.ingest.raw_survey import RawSurvey

_ROOT = Path(__file__).resolve().parents[2]
# Every file whose change may change a table: reading, checks, loading, marts, the catalog.
CODE_DIRS = (_ROOT / "pipelines", _ROOT / "models", _ROOT / "sql")
STATE_FILE = "state.json"
# The raw folder's files as the last scan saw them (path, size, mtime_ns, sha256), beside STATE_FILE.
STAT_CACHE = "filestat.parquet"
# The collector's manifest at the top of the raw folder: not a report (read by raw_folder.read_given).
MANIFEST_CSV = "manifest.csv"
# The collector's log of every request, beside the raw folder (data/raw → data/fetch_log.parquet).
FETCH_LOG = "fetch_log.parquet"
# The analyst's choice of the counted report, beside the raw folder (data/raw → data/report_choice.csv).
REPORT_CHOICE_CSV = "report_choice.csv"


def files_signature(rows: Iterable[tuple[str, int, int]], refused: Iterable[str] = ()) -> str:
    """A hash of (relative name, size, mtime_ns) of each report file, in the order given, and of
    the reasons the entries not read (links, FIFOs, …) were refused: one added or removed is a change."""
    digest = hashlib.sha256()
    for name, size, mtime_ns in rows:
        digest.update(f"{name}\0{size}\0{mtime_ns}\n".encode())
    return _with_refused(digest, refused)


def lines_signature(lines: str, refused: Iterable[str] = ()) -> str:
    """files_signature of the rows already written as its lines ("name\0size\0mtime_ns\n" each,
    joined): the same hash, for a caller that joins them faster than a loop (polars)."""
    return _with_refused(hashlib.sha256(lines.encode()), refused)


def _with_refused(digest: hashlib._Hash, refused: Iterable[str]) -> str:
    for reason in sorted(refused):
        digest.update(f"refused\0{reason}\n".encode())
    return digest.hexdigest()


GIVEN_PARTS = ("manifest", "fetch_log", "choice")  # given_signature's parts, in order


def given_part(signature: str, part: str) -> str:
    """One part of a given_signature (GIVEN_PARTS): an incremental build follows a changed
    manifest.csv or fetch log, but not a changed report_choice.csv."""
    parts = signature.split("/")
    return parts[GIVEN_PARTS.index(part)] if len(parts) == len(GIVEN_PARTS) else signature


def given_signature(raw_dir: Path) -> str:
    """Size and mtime of manifest.csv, and of the fetch log and report_choice.csv beside the raw
    folder ('-' if absent), in GIVEN_PARTS' order."""
    parts = []
    beside = Path(raw_dir).resolve().parent
    for path in (Path(raw_dir) / MANIFEST_CSV, beside / FETCH_LOG, beside / REPORT_CHOICE_CSV):
        try:
            st = path.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


def code_version() -> str:
    """A hash of the code and SQL that build the warehouse, and of the parse limits in force (a
    file rejected over a limit reads otherwise under another): any change means a full rebuild."""
    from pipelines.formats.limits import ParseLimits  # standard library only

    digest = hashlib.sha256()
    digest.update(json.dumps(asdict(ParseLimits.from_env()), sort_keys=True).encode())
    for top in CODE_DIRS:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                path = Path(dirpath, name)
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _file_stat(path: Path) -> tuple[int, int] | None:
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass(frozen=True)
class BuildState:
    """What a published warehouse was built from (`warehouse`: its file's size and mtime_ns)."""

    files: str  # files_signature of the raw folder's report files
    given: str  # given_signature: manifest.csv and the fetch log
    code: str  # code_version
    warehouse: tuple[int, int] | None = None

    def same_inputs(self, other: BuildState) -> bool:
        """The same raw files, manifest, fetch log and code."""
        return (self.files, self.given, self.code) == (other.files, other.given, other.code)


def state_path(warehouse: Path) -> Path:
    """Beside the warehouse's own bookkeeping in the parse store (store/warehouses/<name>/)."""
    warehouse = Path(warehouse)
    return warehouse.parent / "store" / "warehouses" / warehouse.name / STATE_FILE


def saved_state(warehouse: Path) -> BuildState | None:
    """The state saved by the last publish of this warehouse, if any (and readable)."""
    try:
        data = json.loads(state_path(warehouse).read_text(encoding="utf-8"))
        stat = data.get("warehouse")
        return BuildState(data["files"], data["given"], data["code"], (int(stat[0]), int(stat[1])) if stat else None)
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def save_state(warehouse: Path, inputs: BuildState) -> None:
    """After a publish: the inputs it was built from, with the published file's size and mtime."""
    path = state_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = BuildState(inputs.files, inputs.given, inputs.code, _file_stat(warehouse))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(asdict(state)), encoding="utf-8")
    os.replace(tmp, path)


def current_inputs(raw_dir: Path, survey: RawSurvey | None = None) -> BuildState:
    """The inputs now, from a survey of the raw folder (`survey`, or one taken now) and its
    files' stat (no file is read). The survey is the one the build scans with (which entries
    count, which are refused), so the two fingerprints agree; it loads neither polars nor Dagster."""
    if survey is None:
        from pipelines.ingest.raw_survey import survey_raw_folder

        survey = survey_raw_folder(raw_dir)
    rows = ((f.name, f.size, f.mtime_ns) for f in survey.entries)
    refused = [r.reason for r in survey.refused]
    return BuildState(files_signature(rows, refused), given_signature(raw_dir), code_version())


def unseen_files(survey: RawSurvey, warehouse: Path) -> int:
    """How many files of the survey the last scan for this warehouse did not see with their size
    and mtime now (new or rewritten: their content may need a parse). Loads polars (the stat
    cache is Parquet), not pandera or Dagster."""
    import polars as pl

    cache = state_path(warehouse).with_name(STAT_CACHE)
    if not cache.is_file():
        return len(survey.entries)
    seen = set(pl.read_parquet(cache, columns=["path", "size", "mtime_ns"]).iter_rows())
    return sum((f.path, f.size, f.mtime_ns) not in seen for f in survey.entries)


def published_is_current(warehouse: Path, inputs: BuildState) -> bool:
    """Whether the published warehouse was built from exactly these inputs and is still the file
    that build published (not replaced or removed since)."""
    saved = saved_state(warehouse)
    return (
        saved is not None
        and saved.warehouse is not None
        and saved.same_inputs(inputs)
        and _file_stat(warehouse) == saved.warehouse
    )


def up_to_date(raw_dir: Path, warehouse: Path, survey: RawSurvey | None = None) -> bool:
    """Whether the published warehouse was built from the raw folder, manifest.csv,
    report_choice.csv, fetch log and code as they are now: then a build has nothing to do. Reads
    no report; does not import polars or Dagster. `survey`: the folder's, if the caller took one."""
    return published_is_current(warehouse, current_inputs(raw_dir, survey))
