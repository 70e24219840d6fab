"""Which entries of the raw folder are read, refused or ignored: one listing, with each file's stat.

Every entry of the folder ends in one of three places, none silently: a regular file is read
(and so lands in `reports` or `rejected`); an entry that is not read is refused with its reason
(a symbolic link, which is never followed; a FIFO or other special file, which reading would
block on; a name that is not UTF-8; a file over the size limit) and lands in `rejected`; and a
few entries are ignored by rule and listed by the build (IGNORED_FILES, hidden folders, the
collector's manifest.csv at the top).

Only the standard library here (and the parse limits): `xxgk build`'s cheap check surveys the
folder before it decides whether to load polars, pandera or Dagster at all. One survey serves a
whole step: the stat taken here (lstat, which the listing needs anyway) is the one the
fingerprint and the content hashes use, so each file is looked at once.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from pipelines.formats.document import Rejection
from pipelines.formats.limits import ParseLimits, over
from pipelines.ingest.fingerprint import MANIFEST_CSV

# Files no report is ever in, put there by tools (placeholders, desktop metadata): ignored by rule,
# and listed as such by the build. Any other file, hidden or not, is read.
IGNORED_FILES = {
    ".gitkeep": "a placeholder that keeps the folder in git",
    ".DS_Store": "macOS folder metadata",
    "Thumbs.db": "Windows picture cache",
    "desktop.ini": "Windows folder settings",
}
HIDDEN_FOLDER = "a hidden folder (.git, .svn, a tool's own): not read"
# Where the collector saves a report page's pictures, beside the page (pipelines.collect.pages).
PICTURE_FOLDER = ".pictures"
PICTURE_FOLDER_RULE = "the collector's pictures of the pages beside it: read with their pages (OCR), not as reports"
_MANIFEST_RULE = "the collector's manifest, read as such (not a report)"


class SurveyedFile(NamedTuple):
    """A file to read, as the survey saw it."""

    path: str  # as found: the raw folder's path as given, joined with the file's name
    name: str  # relative to the raw folder, with '/' (the reports' source_file)
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class RawSurvey:
    """Every entry of the raw folder, in one of three lists (see the module's docstring)."""

    entries: list[SurveyedFile] = field(default_factory=list)  # regular files to read, in a stable order
    refused: list[Rejection] = field(default_factory=list)  # not read, with the reason
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (name, the rule)

    @property
    def files(self) -> list[Path]:
        """The files to read, as paths."""
        return [Path(f.path) for f in self.entries]


def _shown(name: str) -> str:
    """A name as the warehouse can hold it: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def refusal(name: str, reason: str) -> Rejection:
    """An entry of the raw folder not read, under the name the warehouse can hold, and why."""
    shown = _shown(name)
    return Rejection(shown, None, f"{shown}: {reason}")


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _link_refusal(root: Path, entry: os.DirEntry[str]) -> str:
    target = os.readlink(entry.path)
    try:
        resolved = Path(entry.path).resolve(strict=True)
    except FileNotFoundError:
        return f"a broken symbolic link (to {_shown(target)})"
    except (OSError, RuntimeError):
        return f"a symbolic link that loops (to {_shown(target)}); not followed"
    if not resolved.is_relative_to(root):
        # The target as written (/proc/self/… resolves differently in every process).
        return f"a symbolic link to a place outside the raw folder ({_shown(target)}); not followed"
    inside = _shown(resolved.relative_to(root).as_posix() or ".")
    if resolved.is_dir():
        return f"a symbolic link to a folder of the raw folder ({inside}); not followed, its files are read once"
    return f"a symbolic link to {inside}; not followed: the file is read under its own name"


def _refusal(st: os.stat_result, entry: os.DirEntry[str], name: str, limits: ParseLimits) -> str | None:
    """Why a file that is not a link is not read (a special file, unreadable, too big, a name
    that is not UTF-8), or None for a file to read."""
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file ({_special(st.st_mode)}); not read"
    if not os.access(entry.path, os.R_OK):  # hashing it would stop the build
        return "cannot be read (permission denied); not read"
    if st.st_size > limits.file_bytes:
        size = f"{st.st_size / (1 << 20):.0f} MiB"
        return over("the file is", size, "file_mib", limits) + "; not read"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        hint = ""
        with contextlib.suppress(UnicodeDecodeError):
            hint = f" (read as GB18030 it is {raw.decode('gb18030')})"
        return f"the file name is not UTF-8{hint}; rename it (e.g. convmv -f gbk -t utf-8)"
    return None


def survey_raw_folder(raw_dir: Path, limits: ParseLimits | None = None) -> RawSurvey:
    """Every entry under raw_dir (recursively, links never followed): the files to read with their
    size and mtime, the entries refused with their reason, the entries ignored by rule."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw report folder not found: {raw_dir}")
    limits = limits or ParseLimits.from_env()
    root = raw_dir.resolve()
    survey = RawSurvey()
    files, refused, ignored = survey.entries, survey.refused, survey.ignored
    folders = [(str(raw_dir), "")]  # (path, its name relative to raw_dir with a trailing '/')
    nested = False  # a subfolder is read: names may hold a '/'
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.startswith("."):
                        rule = PICTURE_FOLDER_RULE if entry.name == PICTURE_FOLDER else HIDDEN_FOLDER
                        ignored.append((f"{_shown(name)}/", rule))
                    else:
                        folders.append((entry.path, name + "/"))
                        nested = True
                    continue
                if entry.is_symlink():
                    refused.append(refusal(name, _link_refusal(root, entry)))
                    continue
                by_rule = (not prefix and entry.name == MANIFEST_CSV) or entry.name in IGNORED_FILES
                if by_rule and entry.is_file(follow_symlinks=False):
                    ignored.append((_shown(name), IGNORED_FILES.get(entry.name, _MANIFEST_RULE)))
                    continue
                st = entry.stat(follow_symlinks=False)
                reason = _refusal(st, entry, name, limits)
                if reason is None:
                    files.append(SurveyedFile(entry.path, name, st.st_size, st.st_mtime_ns))
                else:
                    refused.append(refusal(name, reason))
    # The order of the names' parts (a folder's files together), whatever the listing's order; in
    # a folder without subfolders the names' own order, the same (10,000 files: 4.8 -> 1.4 ms CPU).
    files.sort(key=(lambda f: f.name.split("/")) if nested else attrgetter("name"))
    refused.sort(key=lambda r: r.source_file)
    ignored.sort()
    return survey
