"""Imported once by the parse pool's fork server (and only there), when the pool first asks it for a
worker (parse_server): importing it loads the readers and fills the parser's caches (the division
list, agency grammar, template labels), so every worker forked from the server, and every recycled
one, starts warm instead of spending a second on its first file. No polars here: the workers send
plain rows (frames.report_rows), and the server is a fork whose polars threads did not come along."""

from __future__ import annotations

import contextlib
from pathlib import Path

# numpy's masked arrays, which np.unique imports on its first call (the PDF reader's page_words):
# 6-12 ms and some 2,500 page faults in every worker that reads a PDF, once here instead.
import numpy.ma  # noqa: F401

# The readers, which pipelines.formats imports only when a file is read.
import pipelines.formats.docx
import pipelines.formats.html
import pipelines.formats.pdf
import pipelines.formats.simplified
import pipelines.formats.text

# The placement solver (OR-Tools' CP-SAT through its C++ binding), which placement imports only
# when it solves and the build's own process never loads: once here, not in every worker that
# needs it. Not ortools.sat.python.cp_model, which imports pandas (0.2 CPU s here) for helpers
# placement never calls.
import pipelines.template.cp_sat  # noqa: F401
from pipelines.formats.document import Document, UnreadableDocument, paragraph
from pipelines.template.report import parse_document

_TITLE = "海东市生态环境局2023年政府信息公开工作年度报告"

with contextlib.suppress(UnreadableDocument):  # no tables: it is refused, after its metadata is read
    parse_document(Document(Path("warm-up.txt"), "0" * 64, "text/plain", _TITLE, (paragraph(_TITLE),)))
