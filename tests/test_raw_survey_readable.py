"""Which raw files the survey may read: the owner's read bit answers for the building user's own
files (no access() call each); every other case is asked of the kernel, so what is refused stays."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

import pipelines.ingest.raw_survey as raw_survey

USER = 1000  # the building user (not root)


def _stat(owner: int, mode: int) -> os.stat_result:
    return cast(os.stat_result, SimpleNamespace(st_uid=owner, st_mode=stat.S_IFREG | mode))


def _kernel(answer: bool, asked: list[str]) -> Callable[..., bool]:
    def access(path: str, mode: int) -> bool:
        asked.append(path)
        return answer

    return access


def test_the_users_own_file_with_the_read_bit_is_read_without_asking_the_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(raw_survey.os, "access", _kernel(False, asked))
    assert raw_survey._readable(_stat(USER, 0o400), "r1.txt", USER) is True
    assert asked == []


@pytest.mark.parametrize(
    ("owner", "mode", "uid"),
    [
        (USER, 0o044, USER),  # the owner without the read bit
        (USER + 1, 0o444, USER),  # another user's file: groups, ACLs
        (0, 0o400, 0),  # root's: its capabilities, or a root-squashing NFS server, decide
    ],
)
@pytest.mark.parametrize("answer", [True, False])
def test_every_other_file_is_asked_of_the_kernel(
    monkeypatch: pytest.MonkeyPatch, owner: int, mode: int, uid: int, answer: bool
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(raw_survey.os, "access", _kernel(answer, asked))
    assert raw_survey._readable(_stat(owner, mode), "r1.txt", uid) is answer
    assert asked == ["r1.txt"]


def test_a_file_that_cannot_be_read_is_refused_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r1.txt").write_text("报告")
    (tmp_path / "r2.txt").write_text("报告")
    kernel: Any = lambda path, mode: not path.endswith("r2.txt")  # noqa: E731  (as for a user without the right)
    monkeypatch.setattr(raw_survey.os, "access", kernel)
    monkeypatch.setattr(raw_survey.os, "getuid", lambda: USER)  # the files are root's or another's: asked
    survey = raw_survey.survey_raw_folder(tmp_path)
    assert [f.name for f in survey.entries] == ["r1.txt"]
    assert [r.reason for r in survey.refused] == ["r2.txt: cannot be read (permission denied); not read"]
