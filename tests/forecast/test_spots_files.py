"""Schedules and histories as spreadsheets write them, and the rows a planner edits."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecast import CampaignResponse
from forecast.io import parse_number, parse_times, read_history, read_table, sniff_delimiter
from forecast.spots import (
    channel_warnings,
    edit_rows,
    read_spots,
    schedule_rows,
    spots_from_rows,
    validate_spots,
)

ROME = "Europe/Rome"


def write(path, text, encoding="cp1252"):
    path.write_bytes(text.encode(encoding))
    return path


def local(spots):
    return [t.strftime("%Y-%m-%d %H:%M") for t in spots["start"]]


def test_an_italian_excel_csv_is_read(tmp_path):
    path = write(tmp_path / "palinsesto.csv",
                 "Data;Ora;Canale;GRP;Note\r\n"
                 "04/05/2009;20:30;Rai 1;8,5;prima serata\r\n"
                 "04/05/2009;21.05;RAI 2;2,5;\r\n"
                 "05/05/2009;13:30;Rai 3;1.234,5;città\r\n"
                 ";;;;\r\n")
    s = read_spots(path)
    assert local(s) == ["2009-05-04 20:30", "2009-05-04 21:05", "2009-05-05 13:30"]
    assert s["grp"].tolist() == [8.5, 2.5, 1234.5]
    assert s["channel"].tolist() == ["Rai 1", "RAI 2", "Rai 3"]
    assert str(s["start"].dt.tz) == ROME


@pytest.mark.parametrize("header, value, expected", [
    ("data e ora", "04/05/2009 20:30", "2009-05-04 20:30"),  # day first, never 5 April
    ("Data e ora", "04.05.2009 20.30", "2009-05-04 20:30"),
    ("data/ora", "4/5/09 8:30 PM", "2009-05-04 20:30"),
    ("start", "2009-04-05 20:30", "2009-04-05 20:30"),  # ISO stays ISO
    ("Data", "13/04/2009 09:15", "2009-04-13 09:15"),  # one column with date and time
    ("Inizio", "13/04/2009 09:15:25", "2009-04-13 09:15"),  # as call files head it too
])
def test_day_first_dates_and_iso_dates(tmp_path, header, value, expected):
    path = write(tmp_path / "s.csv", f"{header};canale;grp\n{value};Rai 1;2\n")
    assert local(read_spots(path)) == [expected]


def test_excel_sep_line_tabs_and_a_misleading_name(tmp_path):
    sep = write(tmp_path / "a.csv", "sep=;\nData;Ora;Canale;GRP\n20/04/2009;20:30;Rai 1;3,5\n")
    assert read_spots(sep)["grp"].tolist() == [3.5]
    tabs = write(tmp_path / "b.txt", "start\tchannel\tgrp\n20/04/2009 20:30\tRai 1\t3.5\n")
    assert read_spots(tabs)["grp"].tolist() == [3.5]
    utf8 = write(tmp_path / "c.csv", "\ufeffdata;ora;canale;grp\n20/04/2009;20:30;Rete 4 è;1\n",
                 encoding="utf-8")
    assert read_spots(utf8)["channel"].tolist() == ["Rete 4 è"]


def test_excel_files_with_italian_headers_and_typed_cells(tmp_path):
    frame = pd.DataFrame({"Data": [pd.Timestamp("2009-05-04"), pd.Timestamp("2009-05-05")],
                          "Ora": [dt.time(20, 30), dt.time(13, 5)],
                          "Canale": ["Rai 1", "Rai 2"], "GRP": [8.5, 2.0]})
    frame.to_excel(tmp_path / "plan.xlsx", index=False)
    s = read_spots(tmp_path / "plan.xlsx")
    assert local(s) == ["2009-05-04 20:30", "2009-05-05 13:05"]
    (tmp_path / "plan.csv").write_bytes((tmp_path / "plan.xlsx").read_bytes())
    assert local(read_spots(tmp_path / "plan.csv")) == local(s)  # told by content, not name


@pytest.mark.parametrize("body, message", [
    ("20/04/2009;20:30;Rai 1;abc", r"row 2, column GRP: must be a number >= 0 .*got 'abc'"),
    ("20/04/2009;20:30;Rai 1;-3", r"row 2, column GRP: must be a number >= 0 .*got '-3'"),
    ("31/02/2009;20:30;Rai 1;1", r"row 2, column Data \+ Ora: cannot read '31/02/2009 20:30'"),
    ("20/04/2009;;Rai 1;1", r"row 2, column Data \+ Ora: cannot read '20/04/2009 \(no time\)'"),
    ("20/04/2009;20:30;;1", r"row 2, column Canale: empty channel name"),
])
def test_errors_name_the_row_and_the_column_as_headed(tmp_path, body, message):
    path = write(tmp_path / "s.csv", f"Data;Ora;Canale;GRP\n{body}\n")
    with pytest.raises(ValueError, match=message):
        read_spots(path)


def test_rows_are_numbered_as_in_the_spreadsheet_and_every_problem_is_listed(tmp_path):
    path = write(tmp_path / "s.csv", "Data;Ora;Canale;GRP\n20/04/2009;20:30;Rai 1;1\n;;;\n"
                                     "21/04/2009;20:30;Rai 1;x\n22/04/2009;25:00;Rai 1;-1\n")
    with pytest.raises(ValueError) as info:
        read_spots(path)
    lines = str(info.value).splitlines()
    assert lines[0].startswith("row 4, column GRP") and lines[1].startswith("row 5, column Data + Ora")
    assert lines[2].startswith("row 5, column GRP") and len(lines) == 3


def test_read_table_keeps_text_and_drops_blank_rows(tmp_path):
    path = write(tmp_path / "h.csv", "a;b\n1;2,5\n\n;\n3;4\n")
    table = read_table(path, "test")
    assert table.index.tolist() == [2, 5] and table.attrs["decimal"] == ","
    assert table["b"].tolist() == ["2,5", "4"]
    with pytest.raises(ValueError, match="test file .* does not exist"):
        read_table(tmp_path / "missing.csv", "test")


def test_an_italian_history_is_read(tmp_path):
    path = write(tmp_path / "chiamate.csv", "Data;Ora;Chiamate\n04/05/2009;08:00;1.234\n"
                                            "04/05/2009;08:15;12\n")
    history = read_history(path)
    assert history["calls"].tolist() == [1234.0, 12.0]
    assert str(history.index[0]) == "2009-05-04 08:00:00+02:00"
    bad = write(tmp_path / "bad.csv", "data e ora;chiamate\n04/05/2009 08:00;molte\n")
    with pytest.raises(ValueError, match="row 2, column chiamate: expected a number >= 0"):
        read_history(bad)


def test_parsers():
    assert sniff_delimiter("a|b|c\n1|2|3\n") == "|"
    assert sniff_delimiter("only\n1\n") == ","
    got = parse_number(pd.Series(["1.234,5", "1,234.5", "2,5", "3", "", None, "x"], dtype=object))
    np.testing.assert_array_equal(got.to_numpy(), [1234.5, 1234.5, 2.5, 3.0, np.nan, np.nan, np.nan])
    times = parse_times(pd.Series(["12/04/2009 07:58", "12.04.2009", "2009-12-04T07:58"]), ROME)
    assert [str(t) for t in times] == ["2009-04-12 07:58:00", "2009-04-12 00:00:00",
                                       "2009-12-04 07:58:00"]


def test_rows_round_trip_and_a_blank_grp_is_never_one():
    spots = validate_spots(pd.DataFrame({"start": ["2009-04-20 20:30", "2009-04-20 09:00"],
                                         "channel": ["Rai 1", "Rai 2"], "grp": [8.0, None]}))
    rows = schedule_rows(spots)
    assert rows["airing"].tolist() == ["20/04/2009 09:00", "20/04/2009 20:30"]
    assert rows["grp"].tolist() == [0.0, 8.0] and rows["day"].tolist() == ["Mon", "Mon"]
    back = spots_from_rows(rows)
    assert back["grp"].tolist() == [0.0, 8.0] and back["start"].equals(spots["start"])
    added = edit_rows(rows, added_rows=[{"airing": "21/04/2009 10:00", "channel": "Rai 1"}])
    with pytest.raises(ValueError, match="New row 1, GRP: blank; enter the airing's GRP"):
        spots_from_rows(added)


@pytest.mark.parametrize("change, message", [
    ({"grp": -5}, "Row 1, GRP: must be a number >= 0 (0 for an unrated airing), got -5"),
    ({"grp": "lots"}, "Row 1, GRP: must be a number >= 0 (0 for an unrated airing), got 'lots'"),
    ({"airing": "20/04/2009"}, "Row 1, Airing: cannot read '20/04/2009' as a date and time"),
    ({"airing": "2009-13-01 10:00"}, "Row 1, Airing: cannot read '2009-13-01 10:00'"),
    ({"channel": " "}, "Row 1, Channel: empty channel name"),
])
def test_edited_rows_are_refused_by_row_and_title(change, message):
    rows = schedule_rows(pd.DataFrame({"start": pd.to_datetime(["2009-04-20 20:30"]),
                                       "channel": ["Rai 1"], "grp": [3.0]}))
    with pytest.raises(ValueError) as info:
        spots_from_rows(edit_rows(rows, {0: change}))
    assert str(info.value).startswith(message)


def test_edits_are_applied_once_each_against_the_given_rows():
    rows = schedule_rows(pd.DataFrame({"start": pd.date_range("2009-04-20 08:00", periods=4, freq="h"),
                                       "channel": ["Rai 1"] * 4, "grp": [1.0, 2.0, 3.0, 4.0]}))
    edited = edit_rows(rows, {1: {"grp": 11.0}, 0: {"grp": 13.0}, 2: {"grp": 15.0}, 9: {"grp": 1}},
                       [{"airing": "20/04/2009 12:00", "channel": "Rai 3", "grp": 0}], [3, 7])
    spots = spots_from_rows(edited)
    assert spots["grp"].tolist() == [13.0, 11.0, 15.0, 0.0]
    assert spots["channel"].tolist() == ["Rai 1", "Rai 1", "Rai 1", "Rai 3"]


def test_unknown_channels_are_named_with_a_suggestion():
    response = CampaignResponse(calls_per_grp={"Rai 1": 1.0, "Rai 2": 1.0},
                                lift_per_grp={"Rai 1": 0.0, "Rai 2": 0.0})
    rows = pd.DataFrame({"row": pd.array([1, 2, None], dtype="Int64"),
                         "channel": [" rai  1", "Rai2", "Telenorba"]})
    first, second = channel_warnings(rows, response)
    assert first.startswith("Row 2, Channel: 'Rai2'") and first.endswith("Did you mean Rai 2?")
    assert second.startswith("New row 1, Channel: 'Telenorba'") and "Did you mean" not in second
    assert channel_warnings(rows, None) == []
