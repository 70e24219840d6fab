"""The accuracy script over a small generated corpus: every report exact, or flagged."""

from __future__ import annotations

import tempfile

import pytest

from bench.accuracy import PROFILES, corpus, run_one
from tests.generator import FORMATS


@pytest.mark.slow
def test_no_report_of_a_small_mixed_corpus_is_silently_wrong() -> None:
    jobs = corpus(len(FORMATS) * len(PROFILES), list(FORMATS))
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = [run_one((k, fmt, profile, tmp)) for k, fmt, profile in jobs]
    assert all(o.error is None for o in outcomes)
    silent = [(o.fmt, o.profile) for o in outcomes if not o.exact and not o.flagged]
    assert silent == []
    exact_where_positions_survive = [o for o in outcomes if o.profile != "dropped-blanks" and o.fmt != "text-pdftotext"]
    assert all(o.exact for o in exact_where_positions_survive)
