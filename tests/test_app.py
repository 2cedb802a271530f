"""Streamlit AppTest checks of every page on the default scenario."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = ["app_pages/overview_page.py", "app_pages/day_page.py", "app_pages/campaign_page.py",
         "app_pages/forecast_page.py", "app_pages/staffing_page.py", "app_pages/temps_page.py",
         "app_pages/compare_page.py", "app_pages/model_page.py", "app_pages/export_page.py"]


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    return at


def metric(at, label):
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def number(text):
    return float(text.replace(",", "").rstrip("%"))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_errors(app, page):
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value


def test_editing_a_spot_changes_the_forecast(app):
    app.switch_page("app_pages/forecast_page.py").run()
    before = number(metric(app, "Calls in the window"))
    spots = app.session_state["spots"].copy()
    extra = pd.DataFrame({"start": [pd.Timestamp("2009-04-22 10:00")], "channel": ["Rai 1"],
                          "grp": [12.0]})
    app.session_state["spots"] = pd.concat([spots, extra], ignore_index=True)
    app.run()
    assert number(metric(app, "Calls in the window")) > before + 100
    app.session_state["spots"] = spots
    app.run()


def test_raising_the_service_level_raises_agents(app):
    app.switch_page("app_pages/staffing_page.py").run()
    before = number(metric(app, "Peak agents on the phones"))
    app.slider(key="sl_pct").set_value(95).run()
    assert number(metric(app, "Peak agents on the phones")) > before
    app.slider(key="sl_pct").set_value(80).run()


def test_a_bad_schedule_shows_an_error_and_the_app_keeps_working(app):
    app.switch_page("app_pages/forecast_page.py").run()
    good = app.session_state["spots"].copy()
    bad = good.copy()
    bad.loc[0, "grp"] = -5.0
    app.session_state["spots"] = bad
    app.run()
    assert any("column grp" in e.value for e in app.error)
    assert not app.exception
    app.session_state["spots"] = good
    app.run()
    assert not app.error


def test_calls_so_far_re_forecast_the_rest_of_the_day(app):
    from forecast import load_scenario

    history = load_scenario("bonus_elettrico_2009").history
    morning = history[(history.index >= pd.Timestamp("2009-04-21 08:00", tz="Europe/Rome"))
                      & (history.index < pd.Timestamp("2009-04-21 12:00", tz="Europe/Rome"))]
    app.switch_page("app_pages/forecast_page.py").run()
    app.session_state["actuals"] = (1.5 * morning[["calls"]]).round()
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    plain = number(metric(app, "Rest of the day, plain forecast"))
    assert number(metric(app, "Rest of the day, given the calls so far")) > plain
    app.session_state["actuals"] = None
    app.run()


def test_forecast_page_shows_the_forecasts_notes(app):
    app.switch_page("app_pages/forecast_page.py").run()
    notes = [e for e in app.expander if e.label.startswith("Notes on this forecast")]
    assert len(notes) == 1
    shown = [c.value for c in notes[0].caption]
    # The default window lies inside the 2009 history: the library says how it is forecast.
    assert notes[0].label == f"Notes on this forecast ({len(shown)})"
    assert any(text.startswith("the window starts before the history ends") for text in shown)


def test_forecast_page_puts_what_the_forecast_cannot_vouch_for_up_front(app):
    app.switch_page("app_pages/forecast_page.py").run()
    assert not app.warning
    spots = app.session_state["spots"].copy()
    extra = pd.DataFrame({"start": [pd.Timestamp("2009-04-22 10:00")], "channel": ["Canale 5"],
                          "grp": [5.0]})
    app.session_state["spots"] = pd.concat([spots, extra], ignore_index=True)
    app.run()
    assert any("Canale 5" in w.value for w in app.warning), [w.value for w in app.warning]
    notes = [e for e in app.expander if e.label.startswith("Notes on this forecast")]
    assert not any("Canale 5" in c.value for e in notes for c in e.caption)  # said once
    app.session_state["spots"] = spots
    app.run()
    assert not app.warning


def test_model_page_shows_the_calendar(app):
    app.switch_page("app_pages/model_page.py").run()
    assert metric(app, "Time zone") == "Europe/Rome"
    assert metric(app, "Public holidays of") == "IT"


def test_staffing_figures_are_the_plans_and_the_permanent_team_is_paid(app):
    app.switch_page("app_pages/staffing_page.py").run()
    # The day goal (the app's default) meets the target every day.
    assert metric(app, "Days below target") == "0"
    app.switch_page("app_pages/temps_page.py").run()
    before = number(metric(app, "Temps to hire"))
    assert metric(app, "Call the agency by") != "-"
    app.number_input(key="permanent").set_value(100).run()
    assert not app.exception and not app.error
    assert number(metric(app, "Temps to hire")) < before
    assert any("Permanent team" in str(df.value) for df in app.dataframe)
    app.number_input(key="permanent").set_value(0).run()


def test_two_users_with_different_models_never_share_results():
    from app_pages.default_scenario import load_default
    from forecast import CallForecaster

    base, _ = load_default()
    data = base.to_dict()
    data["baseline"]["level"] *= 1.5  # a different model under the same display name
    louder = CallForecaster.from_dict(data)
    first = AppTest.from_file(APP, default_timeout=180)
    second = AppTest.from_file(APP, default_timeout=180)
    first.run()
    second.run()
    second.session_state["forecaster"] = louder
    for at in (first, second):
        at.switch_page("app_pages/forecast_page.py").run()
    one, two = (number(metric(at, "Calls in the window")) for at in (first, second))
    assert two > one * 1.2
    first.run()
    assert number(metric(first, "Calls in the window")) == one
    assert second.session_state["model_name"] == first.session_state["model_name"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_on_a_one_day_window(app, page):
    app.session_state["window_start"] = pd.Timestamp("2009-04-20").date()
    app.session_state["window_end"] = pd.Timestamp("2009-04-20").date()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    app.session_state["window_end"] = pd.Timestamp("2009-04-30").date()
    app.session_state["window_start"] = pd.Timestamp("2009-04-12").date()


def library_plan(at):
    """The plan the library gives for the app's current inputs, computed outside the app."""
    from app_pages._common import plan_settings, shift_settings
    from app_pages.default_scenario import load_default
    from app_pages.planning import capacity
    from forecast import validate_spots

    model, _ = load_default()
    state = at.session_state
    idx = pd.date_range(pd.Timestamp(state["window_start"]),
                        pd.Timestamp(state["window_end"]) + pd.Timedelta(days=1), freq="5min",
                        tz="Europe/Rome", inclusive="left", name="interval_start")
    spots = validate_spots(state["spots"].dropna(how="all"), tz="Europe/Rome")
    return model.predict(idx, spots), capacity(model.predict(idx, spots),
                                               float(state["aht_s"]), plan_settings(state),
                                               shift_settings(state))


def test_pages_show_the_librarys_numbers(app):
    fc, plan = library_plan(app)
    s = plan.summary
    app.switch_page("app_pages/overview_page.py").run()
    assert metric(app, "Calls in the window") == f"{s['calls']:,.0f}"
    assert metric(app, "Temps to hire") == f"{s['temps_hired']:,}"
    assert metric(app, "Service level") == f"{s['service_level']:.1%}"
    assert metric(app, "Cost") == f"{s['total_cost']:,.0f} {s['currency']}"
    app.switch_page("app_pages/staffing_page.py").run()
    assert metric(app, "Peak agents on the phones") == f"{s['peak_on_phones']:,}"
    assert metric(app, "Abandoned") == f"{s['abandon_rate']:.1%}"
    app.switch_page("app_pages/temps_page.py").run()
    assert metric(app, "Temps to hire") == f"{s['temps_hired']:,}"
    app.switch_page("app_pages/day_page.py").run()
    busiest = fc["mean"].groupby(fc.index.date).sum()
    assert metric(app, "Calls that day") == f"{busiest.max():,.0f}"
    app.switch_page("app_pages/forecast_page.py").run()
    quarter = fc["mean"].resample("15min").sum()  # the page forecasts at 15 minutes itself
    assert number(metric(app, "Calls in the window")) == pytest.approx(quarter.sum(), rel=0.01)
