"""The limits every raw file is read under, declared once.

A hostile or broken file (a DOCX whose XML inflates to gigabytes, a PDF of thousands of pages,
a huge junk file) must cost seconds and a bounded amount of memory, then be rejected with the
limit it broke named, while the other reports are read. The defaults are far above what a real
report needs (a few pages, a few MiB); each can be changed with an environment variable, which
`xxgk build` and the Dagster assets read alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

_MIB = 1 << 20


@dataclass(frozen=True)
class ParseLimits:
    """Per raw file. The names of the environment variables are in ENV."""

    file_mib: int = 256  # a larger file is not read (nor hashed): rejected at discovery
    seconds: float = 300.0  # wall time to parse one file (OCR of a long scan is the slow case)
    memory_mib: int = 4096  # address space of a parse process (RLIMIT_AS)
    inflated_mib: int = 512  # a DOCX's members inflated, all together (pictures included)
    xml_part_mib: int = 64  # one XML part of a DOCX inflated (word/document.xml of a real report: < 5 MiB)
    zip_members: int = 10_000  # members of a DOCX package
    pdf_pages: int = 300  # pages of a PDF

    @property
    def file_bytes(self) -> int:
        return self.file_mib * _MIB

    @property
    def inflated_bytes(self) -> int:
        return self.inflated_mib * _MIB

    @property
    def xml_part_bytes(self) -> int:
        return self.xml_part_mib * _MIB

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ParseLimits:
        """The defaults, with any XXGK_* variable of ENV set overriding its limit; a value that is
        not a positive number is an error naming the variable."""
        environ = os.environ if environ is None else environ  # read, not copied: every parse asks
        values: dict[str, float | int] = {}
        for f in fields(cls):
            text = environ.get(ENV[f.name], "").strip()
            if not text:
                continue
            kind = float if f.type in (float, "float") else int
            try:
                value = kind(text)
            except ValueError:
                value = 0
            if value <= 0:
                raise ValueError(f"{ENV[f.name]}={text!r}: not a positive {'number' if kind is float else 'integer'}")
            values[f.name] = value
        return cls(**values)  # type: ignore[arg-type]

    def shown(self, name: str) -> str:
        """One limit as rejections print it: "64 MiB", "300 s", "300"."""
        value = getattr(self, name)
        unit = " MiB" if name.endswith("_mib") else " s" if name == "seconds" else ""
        text = f"{value:g}" if isinstance(value, float) and not value.is_integer() else str(int(value))
        return text + unit

    def changed_since(self, reason: str) -> bool:
        """Whether a rejection's reason names a limit that is set differently now: the file is
        read again (a raised limit may let it through)."""
        return any(
            m["var"] in _FIELD and self.shown(_FIELD[m["var"]]) != m["limit"] for m in _LIMIT_IN_REASON.finditer(reason)
        )

    def describe(self) -> str:
        """One line, for logs and the README: every limit with its variable."""
        return ", ".join(f"{ENV[k]}={v:g}" for k, v in asdict(self).items())


# The environment variable of each limit.
ENV = {
    "file_mib": "XXGK_MAX_FILE_MIB",
    "seconds": "XXGK_PARSE_SECONDS",
    "memory_mib": "XXGK_PARSE_MEMORY_MIB",
    "inflated_mib": "XXGK_MAX_INFLATED_MIB",
    "xml_part_mib": "XXGK_MAX_XML_PART_MIB",
    "zip_members": "XXGK_MAX_ZIP_MEMBERS",
    "pdf_pages": "XXGK_MAX_PDF_PAGES",
}


_FIELD = {var: name for name, var in ENV.items()}
_LIMIT_IN_REASON = re.compile(r"limit of (?P<limit>[^()]+?) \((?P<var>XXGK_[A-Z_]+)\)")


def limit_of(limits: ParseLimits, name: str) -> str:
    """ "limit of 64 MiB (XXGK_MAX_XML_PART_MIB)": how every rejection names a limit (and how
    `changed_since` finds it again)."""
    return f"limit of {limits.shown(name)} ({ENV[name]})"


def over(what: str, amount: str, name: str, limits: ParseLimits) -> str:
    """The wording of a rejection for a broken limit: what, how much, and the limit with its variable."""
    return f"{what} {amount}, over the {limit_of(limits, name)}"
