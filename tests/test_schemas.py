"""pandera splits failing rows off with the checks they failed; nothing is dropped silently."""

from __future__ import annotations

import polars as pl

from models.schemas import FactModel, ReportModel, validate
from pipelines.tables.frames import facts_frame, reports_frame
from pipelines.template.report import parse_file
from tests.conftest import SEED_DIR


def _facts() -> pl.DataFrame:
    return facts_frame([parse_file(SEED_DIR / "004_d7a382633f0a3f3c.txt")])


def _set(frame: pl.DataFrame, row: int, column: str, value: object) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def test_the_seed_facts_pass_the_model() -> None:
    result = validate(FactModel, _facts())
    assert (result.valid.height, result.invalid.height) == (_facts().height, 0)


def test_a_cell_key_outside_the_catalog_is_split_off_with_its_reason() -> None:
    result = validate(FactModel, _set(_facts(), 7, "row_key", "made_up_row"))
    assert result.valid.height == _facts().height - 1
    assert result.invalid.get_column("row_key").to_list() == ["made_up_row"]
    assert "not in the template catalog" in result.invalid.get_column("failed_checks")[0]


def test_an_unknown_value_status_and_a_null_value_are_reported_per_row() -> None:
    frame = _set(_set(_facts(), 3, "value_status", "weird"), 9, "value", None)
    result = validate(FactModel, frame.with_columns(pl.col("value").cast(pl.Float64)))
    assert result.invalid.height == 2
    reasons = " ".join(result.invalid.get_column("failed_checks").to_list())
    assert "value_status" in reasons
    assert "null" in reasons


def test_a_duplicated_cell_is_reported() -> None:
    facts = _facts()
    result = validate(FactModel, pl.concat([facts, facts.head(1)]))
    assert result.invalid.height >= 1
    assert result.valid.height <= facts.height


def test_the_report_row_passes_its_model() -> None:
    frame = reports_frame([parse_file(SEED_DIR / "000_57c1d5239059f444.txt")])
    assert validate(ReportModel, frame).invalid.height == 0


def test_an_empty_frame_with_the_models_columns_is_valid_without_asking_pandera(monkeypatch) -> None:
    import models.schemas as schemas

    def refuse(*args: object) -> None:
        raise AssertionError("pandera asked about an empty frame with the model's columns")

    monkeypatch.setattr(schemas, "_validate_lazy", refuse)
    empty = pl.DataFrame(schema=schemas.polars_schema(FactModel))
    result = validate(FactModel, empty)
    assert result.valid.schema == empty.schema
    assert result.valid.height == 0
    assert result.invalid.height == 0
    assert "failed_checks" in result.invalid.columns


def test_an_empty_frame_with_other_columns_than_the_models_is_still_checked_by_pandera() -> None:
    import models.schemas as schemas

    empty = pl.DataFrame(schema=schemas.polars_schema(FactModel)).with_columns(pl.lit(1).alias("extra"))
    result = validate(FactModel, empty)  # the model is strict: a column it does not name fails it
    assert result.failure_cases.height > 0
    assert "extra" in str(result.failure_cases.to_dicts())


def _verdicts(result: object) -> tuple[object, ...]:
    valid, invalid, cases = (getattr(result, name) for name in ("valid", "invalid", "failure_cases"))
    return valid.to_dicts(), invalid.to_dicts(), cases.to_dicts(), valid.schema


def test_a_frame_of_the_models_types_passes_and_fails_the_same_rows_without_coercion(monkeypatch) -> None:
    """Such a frame is checked without pandera's coercion (a cast of each column to its own type):
    the same rows pass, the same fail, with the same reasons, as with it."""
    import models.schemas as schemas

    facts = _set(_set(_set(_facts(), 3, "value_status", "weird"), 7, "row_key", "made_up_row"), 9, "value", None)
    reports = _set(reports_frame([parse_file(SEED_DIR / "000_57c1d5239059f444.txt")]), 0, "source_sha256", "not a sha")
    cases = [(FactModel, facts.with_columns(pl.col("value").cast(pl.Float64))), (FactModel, _facts())]
    cases += [(ReportModel, reports), (ReportModel, reports_frame([parse_file(SEED_DIR / "000_57c1d5239059f444.txt")]))]
    for model, frame in cases:
        assert frame.schema == schemas.polars_schema(model)  # the case the shortcut is for
        without = _verdicts(validate(model, frame))
        with monkeypatch.context() as patched:  # the model's own schema, coercion on
            patched.setattr(schemas, "_uncoerced", lambda m: m.to_schema())
            assert _verdicts(validate(model, frame)) == without
    assert not schemas._uncoerced(FactModel).coerce
    assert not any(column.coerce for column in schemas._uncoerced(FactModel).columns.values())
    assert validate(FactModel, cases[0][1]).invalid.height == 3
    assert validate(ReportModel, reports).invalid.height == 1


def test_a_frame_of_other_types_than_the_models_is_still_coerced() -> None:
    frame = reports_frame([parse_file(SEED_DIR / "000_57c1d5239059f444.txt")]).with_columns(
        pl.col("year").cast(pl.Int64)
    )
    result = validate(ReportModel, frame)
    assert (result.valid.height, result.valid.schema["year"]) == (1, pl.Int32)
