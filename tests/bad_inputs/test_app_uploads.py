"""The app's uploads: a messy or wrong file is read right or refused with a ValueError (which
the pages show with ``st.error``), never another exception; the upload's name keeps its
suffix, so spreadsheets and CSVs take the reader's own paths.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest

from app_pages._common import read_upload
from forecast.io import read_history
from forecast.spots import read_spots


@dataclass
class Upload:
    """What ``st.file_uploader`` hands a page: a name and the bytes."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_SPOTS = {
    "italian.csv": ("sep=;\r\nData;Ora;Canale;GRP\r\n04/05/2009;20.30;Rai 1;8,5\r\n"
                    .encode("cp1252"), pd.Timestamp("2009-05-04 20:30", tz="Europe/Rome"), 8.5),
    "bom.csv": ("\ufeffstart,channel,grp\n2009-05-04 20:30,Rai 1,8.5\n".encode(),
                pd.Timestamp("2009-05-04 20:30", tz="Europe/Rome"), 8.5),
    "sheet.xlsx": (xlsx([["data", "ora", "canale", "grp"], ["04/05/2009", "20:30", "Rai 1", 8.5]]),
                   pd.Timestamp("2009-05-04 20:30", tz="Europe/Rome"), 8.5),
}

BAD_SPOTS = {
    "negative GRP": ("start,channel,grp\n2009-04-20 20:30,Rai 1,-3\n", "grp"),
    "blank channel": ("start,channel,grp\n2009-04-20 20:30,,3\n", "channel"),
    "date nobody writes": ("start,channel,grp\n13/13/2009 20:30,Rai 1,3\n", "row 2"),
    "no time column": ("channel,grp\nRai 1,3\n", "start"),
    "text GRP": ("start,channel,grp\n2009-04-20 20:30,Rai 1,lots\n", "grp"),
    "empty file": ("", "empty"),
    "binary junk": ("\x00\x01\x02PK\x03\x04garbage", ""),
    "xlsx that is not": ("not a workbook", ""),
}

BAD_HISTORY = {
    "negative calls": ("interval_start,calls\n2009-04-20 08:00,-4\n2009-04-20 08:15,3\n",
                       "calls"),
    "text calls": ("interval_start,calls\n2009-04-20 08:00,many\n", "calls"),
    "no calls column": ("interval_start,volume_x\n2009-04-20 08:00,4\n", "calls"),
    "day-first mixed with month-first": ("interval_start,calls\n13/04/2009 08:00,4\n"
                                         "04/13/2009 08:15,3\n", "row"),
}


@pytest.mark.parametrize("name", sorted(GOOD_SPOTS))
def test_real_world_schedules_are_read_right(name):
    data, start, grp = GOOD_SPOTS[name]
    spots = read_upload(Upload(name, data), read_spots, tz="Europe/Rome")
    assert spots["start"].iloc[0] == start and spots["grp"].iloc[0] == grp
    assert spots["channel"].iloc[0] == "Rai 1"


@pytest.mark.parametrize("case", sorted(BAD_SPOTS))
def test_bad_schedules_are_refused_with_a_value_error(case):
    text, needle = BAD_SPOTS[case]
    name = "schedule.xlsx" if case == "xlsx that is not" else "schedule.csv"
    with pytest.raises(ValueError) as info:
        read_upload(Upload(name, text.encode("latin-1")), read_spots, tz="Europe/Rome")
    assert needle.lower() in str(info.value).lower()
    assert tempfile.gettempdir() not in str(info.value)  # files are named as the planner chose


@pytest.mark.parametrize("case", sorted(BAD_HISTORY))
def test_bad_histories_are_refused_with_a_value_error(case):
    text, needle = BAD_HISTORY[case]
    with pytest.raises(ValueError) as info:
        read_upload(Upload("history.csv", text.encode()), read_history, tz="Europe/Rome")
    assert needle.lower() in str(info.value).lower()


DAY_FIRST = "Data;Ora;Chiamate\n12/03/2003;07:00;111\n13/03/2003;07:00;97\n"


def test_a_day_first_file_of_a_us_line_names_the_apps_choice_then_reads():
    import streamlit as st

    upload = Upload("chiamate.csv", DAY_FIRST.encode("cp1252"))
    with pytest.raises(ValueError) as info:  # a US zone writes dates month first
        read_upload(upload, read_history, tz="America/New_York")
    message = str(info.value)
    assert 'choose "day first (20/04/2009)" under "Dates in the file"' in message
    assert "--dayfirst" not in message  # the command line's option means nothing here
    st.session_state["dates_in_files"] = "day first (20/04/2009)"
    try:
        history = read_upload(upload, read_history, tz="America/New_York")
    finally:
        del st.session_state["dates_in_files"]
    assert list(history.index.strftime("%d %b")) == ["12 Mar", "13 Mar"]
