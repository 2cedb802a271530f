import numpy as np
import pandas as pd
import pytest

from campaign.candidates import break_slots, break_table
from campaign.moves import schedule_moves

TZ = "Europe/Rome"
T0, T1 = pd.Timestamp("2009-04-20", tz=TZ), pd.Timestamp("2009-04-27", tz=TZ)


def test_airings_of_one_break_become_one_candidate_with_summed_grp():
    spots = pd.DataFrame({"start": ["2009-04-20 20:30", "2009-04-20 20:30:40", "2009-04-21 20:30"],
                          "channel": ["Rai 1", "rai  1", "Rai 1"], "grp": [4.0, 2.0, 5.0]})
    offered = pd.DataFrame({"start": ["2009-04-20 20:30", "2009-04-22 20:30"],
                            "channel": ["RAI 1", "Rai 1"], "grp": [9.0, 5.0]})
    breaks, outside = break_table(spots, offered, start=T0, end=T1, tz=TZ)
    assert len(outside) == 0
    assert breaks["grp"].tolist() == [6.0, 5.0, 5.0]  # the original's GRP wins in its break
    assert breaks["original"].tolist() == [True, True, False]
    assert breaks["rows"].iloc[0] == [0, 1]
    assert breaks["week"].unique().tolist() == ["2009-W17"]


def test_airings_outside_the_window_stay_as_they_are():
    spots = pd.DataFrame({"start": ["2009-04-19 20:30", "2009-04-20 20:30"],
                          "channel": ["Rai 1", "Rai 1"], "grp": [4.0, 2.0]})
    breaks, outside = break_table(spots, spots, start=T0, end=T1, tz=TZ)
    assert len(breaks) == 1 and outside["start"].tolist() == [pd.Timestamp("2009-04-19 20:30", tz=TZ)]


def test_blackout_and_fixed_masks():
    slots = break_slots(pd.DataFrame({"start": ["2009-04-20 09:30", "2009-04-20 13:00"],
                                      "channel": ["Rai 1", "Rai 2"], "grp": [6.0, 4.0]}),
                        pd.date_range("2009-04-20", "2009-04-22"), tz=TZ)
    spots = slots.iloc[:2]
    breaks, _ = break_table(spots, slots, start=T0, end=T1, tz=TZ,
                            fixed=spots.iloc[[1]], blackout=pd.DataFrame(
                                {"from": ["2009-04-21"], "to": ["2009-04-22"], "channel": ["Rai 1"]}))
    assert breaks["fixed"].tolist() == [False, True, False, False, False, False]
    assert breaks["allowed"].tolist() == [True, True, False, True, True, True]
    with pytest.raises(ValueError, match="fixed airing Rai 2 Mon 20 Apr 13:00 lies in a blackout"):
        break_table(spots, slots, start=T0, end=T1, tz=TZ, fixed=spots.iloc[[1]],
                    blackout=[("2009-04-20 12:00", "2009-04-20 14:00")])
    with pytest.raises(ValueError, match="blackout row 1: 'to' must be after 'from'"):
        break_table(spots, slots, start=T0, end=T1, tz=TZ,
                    blackout=[("2009-04-20 14:00", "2009-04-20 12:00")])


def test_moves_pair_nearest_airings_of_a_channel():
    t = pd.to_datetime
    before = pd.DataFrame({"start": t(["2009-04-20 09:30", "2009-04-20 16:30", "2009-04-20 13:00"]),
                           "channel": ["Rai 1", "Rai 1", "Rai 2"], "grp": [6.0, 6.0, 4.0]})
    after = pd.DataFrame({"start": t(["2009-04-21 09:30", "2009-04-20 16:30", "2009-04-22 13:00",
                                      "2009-04-23 13:00"]),
                          "channel": ["Rai 1", "Rai 1", "Rai 2", "Rai 2"], "grp": [6.0, 6.0, 4.0, 2.0]})
    moves = schedule_moves(before, after)
    assert moves["text"].tolist() == ["move Rai 1 Mon 20 Apr 09:30 to Tue 21 Apr 09:30",
                                      "move Rai 2 Mon 20 Apr 13:00 to Wed 22 Apr 13:00",
                                      "add Rai 2 Thu 23 Apr 13:00 (2 GRP)"]
    assert np.isnan(moves["from_grp"].iloc[2])


def test_bad_candidates_are_named_as_candidates():
    spots = pd.DataFrame({"start": ["2009-04-20 09:30"], "channel": ["Rai 1"], "grp": [6.0]})
    bad = pd.DataFrame({"start": ["2009-04-21 09:30"], "channel": ["Rai 1"], "grp": [-2.0]})
    with pytest.raises(ValueError, match=r"^candidates row 2, column grp: must be a number >= 0"):
        break_table(spots, bad, start=T0, end=T1, tz=TZ)
