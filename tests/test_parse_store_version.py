"""The parse store invalidates itself: its version is a hash over the whole reading packages and
the template catalog, so any change there re-parses, and a change elsewhere does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipelines.tables.parse_store as parse_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of pipelines/ and models/, with the store's version read from the copy."""
    for name in ("pipelines", "models"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    pipelines = tmp_path / "pipelines"
    packages = tuple(
        pipelines / p.relative_to(ROOT / "pipelines") if p.parent.name == "pipelines" else tmp_path / "models"
        for p in parse_store.PARSER_PACKAGES
    )
    monkeypatch.setattr(parse_store, "_PIPELINES", pipelines)
    monkeypatch.setattr(parse_store, "PARSER_PACKAGES", packages)
    return tmp_path


def test_the_version_covers_the_reading_packages_and_the_catalog() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in parse_store.PARSER_PACKAGES}
    assert names == {"pipelines/formats", "pipelines/template", "pipelines/checks", "pipelines/tables", "models"}


@pytest.mark.parametrize("package", ["formats", "template", "checks", "tables", "models"])
def test_touching_any_file_of_a_reading_package_invalidates_the_store(copied: Path, package: str) -> None:
    root = copied / "models" if package == "models" else copied / "pipelines" / package
    before = parse_store.parser_version()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert parse_store.parser_version() != before, path
        path.write_bytes(original)
    assert parse_store.parser_version() == before


def test_a_new_module_in_a_reading_package_invalidates_the_store(copied: Path) -> None:
    before = parse_store.parser_version()
    (copied / "pipelines" / "template" / "new_rule.py").write_text("X = 1\n")
    assert parse_store.parser_version() != before


def test_a_change_outside_the_reading_packages_keeps_the_store(copied: Path) -> None:
    before = parse_store.parser_version()
    (copied / "pipelines" / "warehouse" / "load.py").write_text("# changed\n")
    (copied / "pipelines" / "cli" / "__init__.py").write_text("# changed\n")
    assert parse_store.parser_version() == before
