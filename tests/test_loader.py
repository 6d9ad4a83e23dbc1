"""The loader on a small, hand-made Data Package, independent of the module's own data."""

import json
import math

import pandas as pd
import pytest

from kabulcase.data import DataValidationError, UnknownDatasetError, datasets, load, sources_for, value

SOURCES_CSV = (
    "source_id,publisher,title,url,date_published,date_accessed,reliability\n"
    "pub-a,Publisher A,Report A,https://example.org/a,2023-09-25,2026-11-29,primary\n"
    "pub-b,Publisher B,Report B,https://example.org/b,2021,2026-11-29,secondary copy\n"
)
COUNTS_CSV = (
    "city,year,cameras,share,private,when,source_id,confidence,note\n"
    "Kabul,2023,62000,12.5,true,2023-08-31,pub-a,medium,claim\n"
    "Kabul,2021,850,,false,2021-08-01,pub-a;pub-b,high,\n"
)


def _package():
    src = lambda n, t, **c: {"name": n, "type": t, "constraints": c} if c else {"name": n, "type": t}
    return {
        "name": "fixture",
        "resources": [
            {"name": "sources", "path": "sources.csv", "dialect": {"delimiter": ","},
             "schema": {"fields": [src("source_id", "string", required=True, unique=True),
                                   src("publisher", "string", required=True),
                                   src("title", "string", required=True),
                                   src("url", "string", required=True, pattern=r"https?://\S+"),
                                   src("date_published", "string", required=True),
                                   src("date_accessed", "date", required=True),
                                   src("reliability", "string", required=True)],
                        "primaryKey": ["source_id"]}},
            {"name": "counts", "path": "counts.csv", "title": "Counts",
             "schema": {"fields": [
                 src("city", "string", required=True, enum=["Kabul", "Lahore"]),
                 src("year", "year", required=True),
                 src("cameras", "integer", required=True, minimum=0),
                 src("share", "number", minimum=0, maximum=100),
                 {"name": "private", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
                 src("when", "date"),
                 src("source_id", "string", required=True, pattern=r"[a-z0-9-]+(;[a-z0-9-]+)*"),
                 src("confidence", "string", required=True, enum=["high", "medium", "low"]),
                 src("note", "string")],
                 "primaryKey": ["city", "year"]}},
        ],
    }


@pytest.fixture
def pkg(tmp_path):
    (tmp_path / "datapackage.json").write_text(json.dumps(_package()))
    (tmp_path / "sources.csv").write_text(SOURCES_CSV)
    (tmp_path / "counts.csv").write_text(COUNTS_CSV)
    return tmp_path


def test_types_are_the_schema_types(pkg):
    df = load("counts", data_dir=pkg)
    assert str(df["cameras"].dtype) == "Int64"
    assert str(df["year"].dtype) == "Int64"
    assert df["share"].dtype == "float64"
    assert str(df["private"].dtype) == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(df["when"])
    assert df.loc[0, "cameras"] == 62000
    assert math.isnan(df.loc[1, "share"])  # empty stays missing, never filled
    assert list(df["private"]) == [True, False]


def test_sources_travel_with_the_rows(pkg):
    df = load("counts", data_dir=pkg)
    assert df.attrs["dataset"] == "counts"
    assert [s["source_id"] for s in df.attrs["sources"]] == ["pub-a", "pub-b"]
    only_first = df[df["year"] == 2023]
    assert list(sources_for(only_first, data_dir=pkg)["source_id"]) == ["pub-a"]


def test_value_finds_exactly_one_row(pkg):
    assert value("counts", "cameras", data_dir=pkg, city="Kabul", year=2023) == 62000
    with pytest.raises(LookupError, match="found 2"):
        value("counts", "cameras", data_dir=pkg, city="Kabul")
    with pytest.raises(LookupError, match="no 'share'"):
        value("counts", "share", data_dir=pkg, city="Kabul", year=2021)


def test_unknown_dataset_lists_the_available_ones(pkg):
    with pytest.raises(UnknownDatasetError) as err:
        load("count", data_dir=pkg)
    assert "counts" in str(err.value) and "sources" in str(err.value)
    assert datasets(pkg) == ["sources", "counts"]


def test_load_returns_a_copy(pkg):
    df = load("counts", data_dir=pkg)
    df.loc[0, "cameras"] = 1
    assert load("counts", data_dir=pkg).loc[0, "cameras"] == 62000


@pytest.mark.parametrize("text, expected", [
    (COUNTS_CSV.replace("62000", "-5"), "line 2, field 'cameras': expected a value >= 0"),
    (COUNTS_CSV.replace("62000", "62,000"), "line 2: 10 cells, expected 9"),
    (COUNTS_CSV.replace("12.5", "NaN"), "field 'share': expected a number"),
    (COUNTS_CSV.replace("12.5", "inf"), "field 'share': expected a number"),
    (COUNTS_CSV.replace(",true,", ",yes,"), "field 'private': expected true/false"),
    (COUNTS_CSV.replace("2023-08-31", "31/08/2023"), "field 'when': expected a date YYYY-MM-DD"),
    (COUNTS_CSV.replace("Kabul,2021", "Kabul,2023"), "duplicate key"),
    (COUNTS_CSV.replace(",medium,", ",certain,"), "expected one of high, medium, low"),
    (COUNTS_CSV.replace(",medium,", ",,"), "field 'confidence': required but empty"),
    (COUNTS_CSV.replace("pub-a;pub-b", "pub-c"), "unknown source 'pub-c'"),
    (COUNTS_CSV.replace("Kabul,2023", " Kabul,2023"), "leading or trailing spaces"),
])
def test_bad_cells_are_refused_with_line_and_field(pkg, text, expected):
    (pkg / "counts.csv").write_text(text)
    with pytest.raises(DataValidationError) as err:
        load("counts", data_dir=pkg)
    assert expected in str(err.value)
    assert "counts.csv" in str(err.value)


# The last gaps: invisible characters, quotes, quoted newlines and a changed sources.csv.

@pytest.mark.parametrize("invisible, name", [("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
                                             ("\u200b", "ZERO WIDTH SPACE")])
def test_an_invisible_character_in_a_text_field_is_refused(pkg, invisible, name):
    (pkg / "counts.csv").write_text(COUNTS_CSV.replace(",claim", f",cla{invisible}im"),
                                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load("counts", data_dir=pkg)
    message = str(err.value)
    assert "counts.csv" in message and "line 2, field 'note'" in message
    assert f"U+{ord(invisible):04X}" in message and name in message


def test_an_invisible_character_in_an_id_is_refused_not_reported_as_unknown(pkg):
    (pkg / "counts.csv").write_text(COUNTS_CSV.replace(",pub-a,medium", ",pub-a\u200b,medium"),
                                    encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"line 2, field 'source_id': contains an invisible"):
        load("counts", data_dir=pkg)


def test_a_bom_at_the_start_of_the_file_is_still_accepted(pkg):
    (pkg / "counts.csv").write_bytes(b"\xef\xbb\xbf" + COUNTS_CSV.encode())
    assert len(load("counts", data_dir=pkg)) == 2


def test_an_unbalanced_quote_names_the_line_where_it_opens(pkg):
    text = COUNTS_CSV + 'Lahore,2022,10,,false,2022-01-01,pub-a,low,"never closed\n'
    (pkg / "counts.csv").write_text(text)
    with pytest.raises(DataValidationError) as err:
        load("counts", data_dir=pkg)
    assert "line 4: a quoted field opened on this line is never closed" in str(err.value)


def test_an_unbalanced_quote_in_the_middle_is_found_where_it_opens(pkg):
    lines = COUNTS_CSV.splitlines()
    text = "\n".join([lines[0], lines[1].replace(",claim", ',"claim'), lines[2],
                      'Lahore,2022,10,,false,2022-01-01,pub-a,low,"x"']) + "\n"
    (pkg / "counts.csv").write_text(text)
    with pytest.raises(DataValidationError, match="line 2: a quoted field opened"):
        load("counts", data_dir=pkg)


def test_a_quoted_newline_does_not_shift_the_reported_line(pkg):
    # Row 2 spans lines 2-4 of the file; the bad cell is on line 5 of the file.
    text = (COUNTS_CSV.splitlines()[0] + "\n"
            + 'Kabul,2023,62000,12.5,true,2023-08-31,pub-a,medium,"a note\nover\nthree lines"\n'
            + "Kabul,2021,-1,,false,2021-08-01,pub-a;pub-b,high,\n")
    (pkg / "counts.csv").write_text(text)
    with pytest.raises(DataValidationError) as err:
        load("counts", data_dir=pkg)
    assert "line 5, field 'cameras': expected a value >= 0" in str(err.value)


def test_a_duplicate_key_after_a_quoted_newline_names_the_physical_lines(pkg):
    text = (COUNTS_CSV.splitlines()[0] + "\n"
            + 'Kabul,2023,62000,12.5,true,2023-08-31,pub-a,medium,"two\nlines"\n'
            + "Kabul,2023,850,,false,2021-08-01,pub-a,high,\n")
    (pkg / "counts.csv").write_text(text)
    with pytest.raises(DataValidationError, match=r"line 4: duplicate key .*first seen on line 2"):
        load("counts", data_dir=pkg)


def test_an_edit_of_sources_csv_is_seen_in_the_same_process(pkg):
    assert len(load("counts", data_dir=pkg)) == 2  # fills the cache
    # Remove pub-b, keeping the file's size (so neither size nor a coarse mtime betrays it).
    (pkg / "sources.csv").write_text(SOURCES_CSV.replace("pub-b,", "pub-x,"))
    with pytest.raises(DataValidationError, match="line 3, field 'source_id': unknown source 'pub-b'"):
        load("counts", data_dir=pkg)
    (pkg / "sources.csv").write_text(SOURCES_CSV)
    assert [s["source_id"] for s in load("counts", data_dir=pkg).attrs["sources"]] == ["pub-a", "pub-b"]


def test_a_table_loaded_before_sources_csv_changed_gets_a_clear_error(pkg):
    df = load("counts", data_dir=pkg)
    (pkg / "sources.csv").write_text(SOURCES_CSV.replace("pub-b,", "pub-x,"))
    with pytest.raises(LookupError, match="cite source.*pub-b.*load the table again|Load the table again"):
        sources_for(df, data_dir=pkg)
