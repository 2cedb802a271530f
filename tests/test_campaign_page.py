"""The Campaign page's schedule editor, driven through its widget state (Streamlit AppTest).

The data editor's state holds all its changes to the rows it was given, as a browser
sends them: each assignment below is the whole state after one more edit.
"""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")
CAMPAIGN = "app_pages/campaign_page.py"


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(CAMPAIGN).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def edit(at, edited=None, added=None, deleted=None):
    at.session_state["spots_editor"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                        "deleted_rows": deleted or []}
    at.run()
    assert not at.exception, at.exception


def errors(at):
    return "\n".join(e.value for e in at.error)


def grp(at):
    return at.session_state["spots"]["grp"]


def test_three_edits_in_a_row_are_all_kept(app):
    before = grp(app).copy()
    edit(app, {1: {"grp": 11.0}})
    edit(app, {1: {"grp": 11.0}, 0: {"grp": 13.0}})
    edit(app, {1: {"grp": 11.0}, 0: {"grp": 13.0}, 2: {"grp": 15.0}})
    assert grp(app)[:3].tolist() == [13.0, 11.0, 15.0]
    assert grp(app)[3:].equals(before[3:])
    assert not app.error
    # The other pages read the same schedule.
    app.switch_page("app_pages/forecast_page.py").run()
    assert not app.exception and not app.error
    assert app.session_state["spots"]["grp"][:3].tolist() == [13.0, 11.0, 15.0]


def test_rows_added_and_deleted(app):
    n = len(app.session_state["spots"])
    edit(app, added=[{"airing": "22/04/2009 10:00", "channel": "Rai 1", "grp": 12.0}], deleted=[5])
    spots = app.session_state["spots"]
    assert len(spots) == n
    added = spots[spots["start"] == pd.Timestamp("2009-04-22 10:00")]
    assert added["grp"].tolist() == [12.0] and added["channel"].tolist() == ["Rai 1"]


@pytest.mark.parametrize("state, message", [
    ({"edited": {0: {"grp": -5.0}}}, "Row 1, GRP: must be a number >= 0 (0 for an unrated "
                                     "airing), got -5"),
    ({"added": [{"airing": "22/04/2009 10:00", "channel": "Rai 1"}]},
     "New row 1, GRP: blank; enter the airing's GRP (0 for an unrated airing)"),
    ({"added": [{"airing": "31/04/2009 10:00", "channel": "Rai 1", "grp": 2.0}]},
     "New row 1, Airing: cannot read '31/04/2009 10:00' as a date and time"),
    ({"edited": {2: {"channel": None}}}, "Row 3, Channel: empty channel name"),
])
def test_bad_rows_are_refused_and_the_message_clears_once_fixed(app, state, message):
    good = app.session_state["spots"].copy()
    edit(app, state.get("edited"), state.get("added"))
    assert message in errors(app)
    assert app.session_state["spots"].equals(good)  # the other pages keep the last valid one
    assert app.metric[0].label == "Airings" and app.metric[0].value == f"{len(good):,}"
    edit(app)  # the change undone
    assert not app.error


def test_a_fixed_row_is_used(app):
    edit(app, added=[{"airing": "22/04/2009 10:00", "channel": "Rai 1"}])
    assert "New row 1, GRP" in errors(app)
    edit(app, added=[{"airing": "22/04/2009 10:00", "channel": "Rai 1", "grp": 0.0}])
    assert not app.error
    spots = app.session_state["spots"]
    assert spots.loc[spots["start"] == pd.Timestamp("2009-04-22 10:00"), "grp"].tolist() == [0.0]


def test_an_unknown_channel_is_warned_about(app):
    edit(app, {3: {"channel": "Rai2"}, 4: {"channel": "Canale 5"}})
    warnings = [w.value for w in app.warning]
    assert any(w.startswith("Row 4, Channel: 'Rai2'") and w.endswith("Did you mean Rai 2?")
               for w in warnings), warnings
    assert any("'Canale 5'" in w and "Did you mean" not in w for w in warnings), warnings
    assert not app.error  # a new channel is allowed: it gets the mean strength
    edit(app, {3: {"channel": " rai  2 "}})  # case and spacing do not matter
    assert not app.warning


def test_filtering_by_day_keeps_the_edits_of_hidden_rows(app):
    rows = app.session_state["spots_rows"]
    monday = rows.index[rows["airing"].str.startswith("20/04/2009")]
    edit(app, {0: {"grp": 13.0}})  # Sunday 12 April, all days shown
    app.selectbox(key="spots_day").set_value(pd.Timestamp("2009-04-20").date()).run()
    assert not app.exception and not app.error
    shown = app.session_state["spots_rows_shown"]
    assert len(shown) == len(monday)
    edit(app, {0: {"grp": 21.0}})  # the first airing of Monday 20 April
    spots = app.session_state["spots"]
    assert spots["grp"].iloc[0] == 13.0
    first_monday = spots.index[spots["start"].dt.date == pd.Timestamp("2009-04-20").date()][0]
    assert spots["grp"].iloc[first_monday] == 21.0
    app.selectbox(key="spots_day").set_value("All days").run()
    assert app.session_state["spots"]["grp"].iloc[[0, first_monday]].tolist() == [13.0, 21.0]
    assert app.session_state["spots_rows"]["grp"].iloc[[0, first_monday]].tolist() == [13.0, 21.0]


def test_edits_survive_a_visit_to_another_page(app):
    edit(app, {0: {"grp": 13.0}}, [{"airing": "22/04/2009 10:00", "channel": "Rai 1"}])
    assert "New row 1, GRP" in errors(app)
    app.switch_page("app_pages/forecast_page.py").run()
    app.switch_page(CAMPAIGN).run()
    rows = app.session_state["spots_rows"]
    assert rows["grp"].iloc[0] == 13.0
    assert ((rows["airing"] == "22/04/2009 10:00") & rows["grp"].isna()).sum() == 1
    assert "GRP: blank" in errors(app)  # the unfinished row is still there to finish


def test_a_schedule_set_elsewhere_replaces_the_rows(app):
    spots = app.session_state["spots"].iloc[:5].copy()
    app.session_state["spots"] = spots
    app.run()
    assert len(app.session_state["spots_rows"]) == 5
    assert app.session_state["spots"].equals(spots)
    assert [m.value for m in app.metric][:1] == ["5"]
