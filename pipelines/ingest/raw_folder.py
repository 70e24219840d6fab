"""The raw folder: where reports arrive, which files count (the survey, pipelines.ingest.raw_survey),
what the collector said about them (manifest.csv, and the fetch log beside the folder) and a
cheap fingerprint of it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import polars as pl

from pipelines.formats.document import Rejection

# The names of the collector's and the analyst's files live in the stdlib-only fingerprint module
# (the cheap check stats them); re-exported here, where the raw folder is read.
from pipelines.ingest.fingerprint import FETCH_LOG as FETCH_LOG
from pipelines.ingest.fingerprint import MANIFEST_CSV as MANIFEST_CSV
from pipelines.ingest.fingerprint import REPORT_CHOICE_CSV as REPORT_CHOICE_CSV
from pipelines.ingest.fingerprint import STAT_CACHE, BuildState, given_signature, lines_signature
from pipelines.ingest.paths import DEFAULT_RAW_DIR as DEFAULT_RAW_DIR
from pipelines.ingest.paths import DEFAULT_WAREHOUSE as DEFAULT_WAREHOUSE
from pipelines.ingest.paths import PROJECT_DIR as PROJECT_DIR

# The survey of the folder lives in a module that loads neither polars nor pandera (the cheap check).
from pipelines.ingest.raw_survey import HIDDEN_FOLDER as HIDDEN_FOLDER
from pipelines.ingest.raw_survey import IGNORED_FILES as IGNORED_FILES
from pipelines.ingest.raw_survey import RawSurvey, refusal, survey_raw_folder
from pipelines.tables.frames import CHOICE_SCHEMA, REJECTED_SCHEMA, rejected_frame
from pipelines.tables.parse_store import hash_files, store_beside

# file,agency,year,url are the original four; the collector (pipelines.collect) adds when it
# downloaded the file, the file of the page that announced an attachment, and when the file was
# first found withdrawn from the site. Any column but `file` may be absent (old manifests stay valid).
MANIFEST_COLUMNS = ("file", "agency", "year", "url", "fetched_at", "page", "withdrawn_seen_at")
# What the collector gave per file: `row` is the manifest's line number, for messages.
GIVEN_SCHEMA = pl.Schema(
    {
        "source_file": pl.String,
        "given_agency": pl.String,
        "given_year": pl.Int32,
        "source_url": pl.String,
        "fetched_at": pl.String,
        "page": pl.String,
        "withdrawn_seen_at": pl.String,
        "row": pl.Int32,
    }
)


def fetch_log_path(raw_dir: Path) -> Path:
    """Where the collector keeps its fetch log for this raw folder: beside it, not in it (the log
    is no report, and rewriting it each night must not look like a change of the folder)."""
    return Path(raw_dir).resolve().parent / FETCH_LOG


def report_choice_path(raw_dir: Path) -> Path:
    """Where the analyst's report_choice.csv for this raw folder is: beside it, like the fetch log."""
    return Path(raw_dir).resolve().parent / REPORT_CHOICE_CSV


def discover_raw_files(raw_dir: Path) -> list[Path]:
    """The report files under raw_dir (recursively) to read, in a stable order."""
    return survey_raw_folder(raw_dir).files


def scan_raw_folder(raw_dir: Path, warehouse: Path, survey: RawSurvey | None = None) -> pl.DataFrame:
    """The raw folder's files with their content hashes (source_file, path, size, mtime_ns,
    source_sha256); only files whose size or mtime changed are read again. `survey`: the
    folder's survey when the caller has one (it is not listed again)."""
    own = store_beside(warehouse).bookkeeping(warehouse)
    survey = survey or survey_raw_folder(raw_dir)
    # A file gone or unreadable since the survey joins its refusals (read_given records them), once
    # however many steps scan with the same survey.
    unreadable: dict[str, str] = {}
    rows = hash_files(survey.entries, own / STAT_CACHE, unreadable)
    for name, error in unreadable.items():
        refused = refusal(name, f"could not be read after the raw folder was listed ({error})")
        if refused not in survey.refused:
            survey.refused.append(refused)
    return rows


@dataclass
class RawFiles:
    """The raw folder's scan (scan_raw_folder) as a build's steps hand it on: a handle to the
    stat cache the scan wrote beside the warehouse, whose rows are that scan, not the rows (a run
    pickled 100,000 files' names, paths and hashes for every step that read them). The cache's
    size and mtime are kept: a step that reads it after another scan stops with a clear error
    rather than building from other files than its run scanned."""

    path: str
    files: int
    contents: int
    stamp: tuple[int, int]  # the stat cache's (size, mtime_ns) as the scan wrote it
    # The entries the scan's survey refused (links, FIFOs…: few), for read_given: the folder is
    # not surveyed again (0.06 CPU s at 10,000 files).
    refused: tuple[Rejection, ...] = ()
    _rows: pl.DataFrame | None = field(default=None, repr=False, compare=False)  # in this process only

    @classmethod
    def scan(cls, raw_dir: Path, warehouse: Path, survey: RawSurvey | None = None) -> RawFiles:
        survey = survey or survey_raw_folder(raw_dir)
        rows = scan_raw_folder(raw_dir, warehouse, survey)
        path = store_beside(warehouse).bookkeeping(warehouse) / STAT_CACHE
        st = path.stat()
        return cls(
            str(path),
            rows.height,
            rows.get_column("source_sha256").n_unique(),
            (st.st_size, st.st_mtime_ns),
            tuple(survey.refused),
            rows,
        )

    def read(self) -> pl.DataFrame:
        """The scan's rows (source_file, path, size, mtime_ns, source_sha256)."""
        if self._rows is None:
            st = Path(self.path).stat()
            if (st.st_size, st.st_mtime_ns) != self.stamp:
                raise RuntimeError(
                    f"{self.path}: the raw folder was scanned again after this run's raw_files step"
                    f" ({self.files} files); run the whole build again"
                )
            self._rows = pl.read_parquet(self.path)
        return self._rows

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_rows": None}  # pickled: the handle alone


def raw_signature(raw_dir: Path) -> str:
    """A cheap fingerprint of the raw folder (names, sizes, mtimes): it changes when a file is
    added, removed or rewritten, or manifest.csv is, or the analyst's report_choice.csv beside
    the folder. The sensor compares it with its cursor."""
    digest = hashlib.sha256()
    survey = survey_raw_folder(raw_dir)
    files = [(f.name, f.size, f.mtime_ns) for f in survey.entries]
    for path, name in (
        (Path(raw_dir) / MANIFEST_CSV, MANIFEST_CSV),
        (report_choice_path(raw_dir), f"../{REPORT_CHOICE_CSV}"),
    ):
        if path.is_file():
            st = path.stat()
            files.append((name, st.st_size, st.st_mtime_ns))
    for name, size, mtime_ns in files:
        digest.update(f"{name}\0{size}\0{mtime_ns}\n".encode())
    for refused in survey.refused:  # a link or a FIFO added or removed is a change too
        digest.update(f"{refused.reason}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class GivenManifest:
    """What the raw folder gives besides its report files: the collector's manifest.csv, one row
    per file (GIVEN_SCHEMA), and a message for each row that could not be used (naming
    manifest.csv and the row; the row is skipped); the fetch log; and the entries of the folder
    that are not read (`refused`, REJECTED_SCHEMA: they join the rejected files at assembly)."""

    rows: pl.DataFrame
    problems: tuple[str, ...] = ()
    fetch_log: pl.DataFrame | None = None  # the collector's fetch log, where there is one
    signature: str = (
        ""  # given_signature of manifest.csv, report_choice.csv and the fetch log, taken before reading them
    )
    # The analyst's report_choice.csv (CHOICE_SCHEMA), where there is one.
    choices: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CHOICE_SCHEMA))
    # Entries of the raw folder not read (links, FIFOs, …), with the reason: rejected at assembly.
    refused: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECTED_SCHEMA))

    @classmethod
    def empty(cls) -> GivenManifest:
        return cls(pl.DataFrame(schema=GIVEN_SCHEMA))


def _timestamp(text: str | None) -> bool:
    """Whether a manifest time is ISO 8601 (what the collector writes: 2026-12-01T01:00:05Z)."""
    if text is None:
        return True
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):  # a spreadsheet in China often saves GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_given(raw_dir: Path, refused: Sequence[Rejection] | None = None) -> GivenManifest:
    """The raw folder's manifest.csv (columns file, agency, year, url, and optionally fetched_at,
    page, withdrawn_seen_at; any of them blank; file and page are paths relative to the raw
    folder), with the fetch log beside the folder if the collector left one. No manifest gives
    nothing; a malformed manifest or row is reported and skipped, never raised: the other rows
    are used. `refused`: the entries the build's survey of the folder refused, when the caller
    has them (RawFiles.refused), else the folder is surveyed for them."""
    signature = given_signature(raw_dir)  # before reading: a change meanwhile shows next time
    given = _read_manifest(Path(raw_dir))
    choices, choice_problems = read_choices(report_choice_path(raw_dir))
    refused_frame = rejected_frame(list(refused) if refused is not None else survey_raw_folder(raw_dir).refused)
    given = replace(
        given, choices=choices, problems=(*given.problems, *choice_problems), refused=refused_frame, signature=signature
    )
    log_path = fetch_log_path(raw_dir)
    if log_path.is_file():
        try:
            fetch_log = pl.read_parquet(log_path)
        except Exception as exc:  # a damaged log must not stop the build: say so and go on
            problem = f"{log_path}: not a readable fetch log ({exc})"
            return replace(given, problems=(*given.problems, problem))
        return replace(given, fetch_log=fetch_log)
    return given


def build_inputs(manifest: pl.DataFrame, given: GivenManifest) -> BuildState:
    """The inputs of a build: its scan of the raw folder (`manifest`), the entries it refused, the
    manifest.csv, report_choice.csv and fetch log it read, and the code (the same fingerprint
    `fingerprint.up_to_date` takes from a survey of the folder)."""
    from pipelines.ingest.fingerprint import code_version

    # The rows written as files_signature writes them, joined by polars: the same hash without a
    # Python loop over every file (100,000 files: 0.030 -> 0.011 CPU s).
    lines = manifest.select(pl.format("{}\0{}\0{}\n", "source_file", "size", "mtime_ns").str.join("")).item()
    refused = given.refused.get_column("reason").to_list()
    return BuildState(lines_signature(lines or "", refused), given.signature, code_version())


def _read_manifest(raw_dir: Path) -> GivenManifest:
    path = raw_dir / MANIFEST_CSV
    if not path.is_file():
        return GivenManifest.empty()
    text = _decode(path.read_bytes())
    if text is None:
        return GivenManifest(GivenManifest.empty().rows, (f"{MANIFEST_CSV}: not UTF-8 or GB18030 text; not used",))
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if "file" not in header:
        return GivenManifest(
            GivenManifest.empty().rows,
            (f"{MANIFEST_CSV}: row 1 is not a header naming a `file` column ({','.join(MANIFEST_COLUMNS)}); not used",),
        )
    at = {name: header.index(name) for name in MANIFEST_COLUMNS if name in header}
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    first: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue

        def field(name: str, values: list[str] = values) -> str | None:
            i = at.get(name)
            value = values[i].strip() if i is not None and i < len(values) else ""
            return value or None

        file = field("file")
        if file is None:
            problems.append(f"{MANIFEST_CSV} row {line}: no file named; row skipped")
            continue
        file = file.replace("\\", "/").removeprefix("./")
        where = f"{MANIFEST_CSV} row {line} ({file})"
        year_text = field("year")
        year = None
        if year_text is not None:
            year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
            if year is None or not 1990 <= year <= 2100:
                problems.append(f"{where}: year {year_text!r} is not a year between 1990 and 2100; row skipped")
                continue
        times = {name: field(name) for name in ("fetched_at", "withdrawn_seen_at")}
        bad = [f"{name} {value!r}" for name, value in times.items() if not _timestamp(value)]
        if bad:
            problems.append(f"{where}: {', '.join(bad)} is not an ISO 8601 time; row skipped")
            continue
        page = field("page")
        if file in first:
            problems.append(f"{where}: the file is listed again (first at row {first[file]}); row skipped")
            continue
        first[file] = line
        rows.append(
            {
                "source_file": file,
                "given_agency": field("agency"),
                "given_year": year,
                "source_url": field("url"),
                **times,
                "page": page.replace("\\", "/").removeprefix("./") if page else None,
                "row": line,
            }
        )
    return GivenManifest(pl.DataFrame(rows, schema=GIVEN_SCHEMA), tuple(problems))


def read_choices(path: Path) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The analyst's report_choice.csv (agency, year, report: the file name as in the raw folder,
    or its sha256), one row per agency-year whose counted report they chose; and a message for
    each row that cannot be used (skipped). None at all is no choice."""
    if not path.is_file():
        return pl.DataFrame(schema=CHOICE_SCHEMA), ()
    text = _decode(path.read_bytes())
    if text is None:
        return pl.DataFrame(schema=CHOICE_SCHEMA), (f"{path.name}: not UTF-8 or GB18030 text; not used",)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if not {"agency", "year", "report"} <= set(header):
        return pl.DataFrame(schema=CHOICE_SCHEMA), (
            f"{path.name}: row 1 is not the header agency,year,report; not used",
        )
    at = {name: header.index(name) for name in ("agency", "year", "report")}
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    first: dict[tuple[str, int], int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values) or values[0].lstrip().startswith("#"):
            continue
        agency, year_text, report = (values[at[n]].strip() if at[n] < len(values) else "" for n in at)
        if not agency or not report:
            problems.append(f"{path.name} row {line}: agency and report are both needed; row skipped")
            continue
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
        if year is None or not 1990 <= year <= 2100:
            problems.append(
                f"{path.name} row {line}: year {year_text!r} is not a year between 1990 and 2100; row skipped"
            )
            continue
        if (agency, year) in first:
            problems.append(
                f"{path.name} row {line}: {agency} {year} is chosen again (first at row {first[agency, year]}); row skipped"
            )
            continue
        first[agency, year] = line
        rows.append(
            {"agency": agency, "year": year, "report": report.replace("\\", "/").removeprefix("./"), "row": line}
        )
    return pl.DataFrame(rows, schema=CHOICE_SCHEMA), tuple(problems)
