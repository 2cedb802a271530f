import numpy as np
import pandas as pd
import pytest

from forecast.spots import read_spots, validate_spots


def test_defaults_and_time_zone():
    s = validate_spots(pd.DataFrame({"Start": ["2009-04-20 20:30", "2009-04-20 09:00"],
                                     "Channel": ["Rai 1", "TeleNorba"], "GRP": [8, None]}))
    assert list(s["channel"]) == ["TeleNorba", "Rai 1"]  # sorted, unknown channels fine
    assert np.isnan(s["grp"][0]) and s["grp"][1] == 8.0  # a blank GRP is unrated, not 1
    assert s["duration_s"].tolist() == [30.0, 30.0]
    assert str(s["start"].dt.tz) == "Europe/Rome"


def test_input_is_not_modified():
    raw = pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": ["Rai 1"]})
    before = raw.copy()
    validate_spots(raw)
    pd.testing.assert_frame_equal(raw, before)


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"start": ["2009-04-20 20:30", "soon"], "channel": ["Rai 1", "Rai 2"]}),
     "spots row 3, column start: cannot read 'soon'"),
    (pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": ["Rai 1"], "grp": [-2]}),
     "spots row 2, column grp: must be a number >= 0"),
    (pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": [None]}), "empty channel name"),
    (pd.DataFrame({"when": ["2009-04-20 20:30"], "channel": ["Rai 1"]}), "need a 'start' column"),
    (pd.DataFrame({"start": ["2009-04-20 20:30"], "channel": [""]}), "empty channel name"),
])
def test_bad_rows_are_named(frame, message):
    with pytest.raises(ValueError, match=message):
        validate_spots(frame)


def test_read_csv_with_date_and_time(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("date,time,channel,GRP\n2009-04-20,20:30,Rai 1,8\n2009-04-21,13:30,Rai 2,4\n")
    s = read_spots(path)
    assert len(s) == 2 and s["grp"].tolist() == [8.0, 4.0]
    with pytest.raises(ValueError, match="does not exist"):
        read_spots(tmp_path / "missing.csv")


def test_spot_logs_are_taken_as_they_are():
    """Two creatives in one break, and unrated airings, are kept."""
    s = validate_spots(pd.DataFrame({"start": ["2009-04-20 20:30"] * 2 + ["2009-04-20 21:00"],
                                     "channel": ["Rai 1", "Rai 1", "Rai Sport"],
                                     "grp": [4.0, 2.0, 0.0]}))
    assert len(s) == 3 and s["grp"].tolist() == [4.0, 2.0, 0.0]
