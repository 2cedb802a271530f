"""The Model page's fit on an uploaded history: progress, the planner's choice, results kept.

AppTest cannot upload files, so the history and spot frames are handed to the page the
way its button hands over the uploaded ones (``fit_request`` in the session state).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from forecast import load_scenario
from forecast.synthetic import make_campaign
from tests.forecast.test_growth import growing

APP = str(Path(__file__).parents[1] / "app.py")
MODEL = "app_pages/model_page.py"
DEFAULT_NAME = "2009 bonus elettrico (fitted)"


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page(MODEL).run()
    assert not at.exception, at.exception
    return at


def repeated_weeks(weeks: int = 6) -> pd.DataFrame:
    """A history whose last weeks are all the same: the same-weekday average is exact there.

    The first week differs, so that the scale of MASE (last week's in-sample error) is not 0.
    """
    first, week = (make_campaign(days=7, campaign_from_day=7, seed=seed).history["calls"]
                   .to_numpy() for seed in (3, 4))
    index = pd.date_range("2024-01-08", periods=weeks * len(week), freq="5min",
                          tz="Europe/Rome", name="interval_start")
    return pd.DataFrame({"calls": np.concatenate([first, np.tile(week, weeks - 1)])},
                        index=index)


def sidebar_model(at) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith("Forecast model:"))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def request_fit(at, history, spots, name, days=2):
    at.session_state["fit_backtest_days"] = days
    at.session_state["fit_request"] = {"history": history, "spots": spots, "name": name}
    at.switch_page(MODEL).run()
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)


def test_a_worse_fit_waits_for_the_choice_and_is_kept_across_pages(app):
    before = app.session_state["forecaster"]
    request_fit(app, repeated_weeks(), None, "fitted on weeks.csv")
    assert any("worse than a simple benchmark" in w for w in texts(app.warning))
    assert app.session_state["forecaster"] is before
    assert app.session_state["model_name"] == DEFAULT_NAME
    assert sidebar_model(app) == f"Forecast model: {DEFAULT_NAME}"

    app.switch_page("app_pages/forecast_page.py").run()
    app.switch_page(MODEL).run()
    assert any("worse than a simple benchmark" in w for w in texts(app.warning))
    assert any("Forecast" == df.value.index.name for df in app.dataframe), "no backtest table"
    assert app.session_state["model_name"] == DEFAULT_NAME

    button(app, "Use the new model anyway").click().run()
    assert app.session_state["model_name"] == "fitted on weeks.csv"
    assert sidebar_model(app) == "Forecast model: fitted on weeks.csv"
    assert any("In use" in s for s in texts(app.success))


def test_keeping_the_current_model_leaves_it_in_place(app):
    name = app.session_state["model_name"]
    request_fit(app, repeated_weeks(), None, "fitted on other-weeks.csv")
    button(app, "Keep the current model").click().run()
    assert app.session_state["model_name"] == name
    assert any("Not in use" in i for i in texts(app.info))
    assert not any("worse than a simple benchmark" in w for w in texts(app.warning))


def test_the_2009_history_is_fitted_used_at_once_and_shown_plainly(app):
    sc = load_scenario("bonus_elettrico_2009")
    request_fit(app, sc.history, sc.spots, "fitted on history.csv", days=5)
    # Better than the benchmark: in use at once, the sidebar says so on the same click.
    assert app.session_state["model_name"] == "fitted on history.csv"
    assert sidebar_model(app) == "Forecast model: fitted on history.csv"
    outcome = app.session_state["fit_outcome"]
    assert outcome["decision"] == "used" and outcome["days"] == 5

    app.switch_page("app_pages/campaign_page.py").run()
    app.switch_page(MODEL).run()
    table = next(df.value for df in app.dataframe if df.value.index.name == "Forecast")
    assert list(table.index) == ["This fit", "Same time one week before",
                                 "Average of the same weekday, last 4 weeks"]
    assert "Error, share of calls (WAPE)" in table.columns
    cells = table.to_numpy().ravel().tolist()
    assert not any(str(c) in ("None", "nan", "NaN") for c in cells)
    assert table.loc["This fit", "Error, share of calls (WAPE)"].endswith("%")
    # The calendar of the fitted model, with the holiday the history showed closed.
    holidays = next(df.value for df in app.dataframe if "Holiday" in df.value.columns)
    assert holidays.set_index("Holiday").loc["Easter Monday", "In the history"] == "closed"
    assert any(c.value.startswith("Effects the fit kept: Rai 1") for c in app.caption)
    # A month of history: no yearly shape, and the page says why.
    assert "Yearly seasonality: none (under a year of history, or no yearly shape in it)" in \
        texts(app.caption)
    assert not any(c.startswith("Growth") for c in texts(app.caption))  # nothing to check
    assert app.number_input(key="backtest_days").value == 5


def test_a_model_of_another_zone_moves_the_apps_clock(app):
    """A line in New York: the schedule keeps its instants, shown in New York time."""
    rome = app.session_state["spots"]["start"].iloc[0]
    weeks = repeated_weeks()
    weeks.index = weeks.index.tz_localize(None).tz_localize("America/New_York")
    request_fit(app, weeks, None, "fitted on new-york.csv")
    button(app, "Use the new model anyway").click().run()
    assert app.session_state["forecaster"].tz == "America/New_York"
    # Fitted without spots: no campaign response, and no half-lives shown as if measured.
    assert any("No campaign response" in t for t in texts(app.info)), texts(app.info)
    assert not [m for m in app.metric if m.label == "Fast response half-life"]
    moved = app.session_state["spots"]["start"].iloc[0]
    assert moved == (pd.Timestamp(rome).tz_localize("Europe/Rome").tz_convert("America/New_York")
                     .tz_localize(None))
    for page in ("app_pages/campaign_page.py", "app_pages/forecast_page.py"):
        app.switch_page(page).run()
        assert not app.exception, app.exception
    # The 2009 window was years away from this history: it now follows it, same length.
    last = weeks.index[-1].tz_localize(None).normalize()
    assert app.session_state["window_start"] == (last + pd.Timedelta(days=1)).date()
    assert app.session_state["window_end"] == (last + pd.Timedelta(days=19)).date()


def test_holidays_with_no_record_show_a_dash_not_none():
    from app_pages.model_page import _table

    rows = [{"date": "2003-05-26", "name": "Memorial Day", "status": "no record", "calls": None,
             "usual_calls": 34538.5},
            {"date": "2003-10-13", "name": "Columbus Day", "status": "open", "calls": 35300.0,
             "usual_calls": 35710.0}]
    frame = _table(rows, {"date": "Date", "name": "Holiday", "status": "In the history",
                          "calls": "Calls", "usual_calls": "Usual calls"})
    assert frame["Calls"].tolist() == ["–", "35,300"]
    assert frame["Usual calls"].tolist() == ["34,538", "35,710"]


def test_a_growing_multi_year_line_says_its_growth(app):
    """Four years of daily calls growing 30 % a year: the page says the growth it carries."""
    series = growing(0, 0.3).tz_localize("America/Chicago").rename_axis("interval_start")
    request_fit(app, series.to_frame("calls"), None, "fitted on growing.csv")
    lines = [c for c in texts(app.caption) if c.startswith("Growth: ")]
    assert len(lines) == 1 and lines[0].startswith("Growth: +"), lines
    assert "carried ahead; out of sample" in lines[0]
    table = next(df.value for df in app.dataframe if df.value.index.name == "Forecast")
    assert "Same weekday last year, scaled by the recent growth" in table.index
