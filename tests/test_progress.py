"""A long build shows its progress: a bar on a terminal, lines in a log, from the build's own
reports (the ingest functions print nothing themselves)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import build_progress, main
from pipelines.ingest.progress import PARSE, listening, report
from tests.conftest import SEED_DIR


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_build_shows_a_progress_bar() -> None:
    stream = Terminal()
    with build_progress(stream):
        report(PARSE, 3, 10)
        report(PARSE, 10, 10)
    shown = stream.getvalue()
    assert "parsing new files" in shown
    assert "10/10" in shown
    assert "━" in shown  # the bar


def test_off_a_terminal_the_build_writes_progress_lines_and_no_bar() -> None:
    stream = io.StringIO()
    with build_progress(stream):
        report(PARSE, 3, 10)
        logging.getLogger("xxgk.progress").info("parsed 3/10 new files")
    shown = stream.getvalue()
    assert "parsed 3/10 new files" in shown
    assert "━" not in shown
    assert "\x1b[" not in shown  # no terminal control codes in a log file


def test_a_listener_hears_nothing_once_it_stops_listening() -> None:
    heard: list[tuple[str, int, int]] = []
    with listening(lambda *event: heard.append(event)):
        report(PARSE, 1, 2)
    report(PARSE, 2, 2)
    assert heard == [(PARSE, 1, 2)]


@pytest.mark.slow
def test_the_build_command_reports_its_parse_progress_as_it_goes(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int]] = []
    with listening(lambda *event: heard.append(event)):
        result = CliRunner().invoke(
            main, ["build", "--raw", str(SEED_DIR), "--warehouse", str(tmp_path / "xxgk.duckdb"), "--workers", "1"]
        )
    assert result.exit_code == 0, result.output
    assert heard[-1] == (PARSE, 5, 5)
    assert [done for _, done, _ in heard] == sorted(done for _, done, _ in heard)
