"""AppTest of the Campaign page's "Optimise schedule" panel on four days of the 2009 scenario."""

import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")
CAMPAIGN = "app_pages/campaign_page.py"
FIRST, LAST = pd.Timestamp("2009-04-19"), pd.Timestamp("2009-04-22")  # Sunday to Wednesday


def button(at, label):
    for b in at.button:
        if b.label == label:
            return b
    raise AssertionError(f"no button {label!r}: {[b.label for b in at.button]}")


def optimise(at, timeout_s=120):
    """Click the panel's button and rerun until the optimiser process has answered."""
    button(at, "Optimise schedule").click().run()
    assert not at.exception, at.exception
    job = at.session_state["optimise_job"] if "optimise_job" in at.session_state else None
    if job is not None and not job["future"].done():  # the page is drawn while it runs
        assert at.get("progress") and button(at, "Optimise schedule").disabled
    deadline = time.monotonic() + timeout_s
    while job is not None and not job["future"].done():
        assert time.monotonic() < deadline, "the optimiser did not answer in time"
        time.sleep(0.2)
    at.run()
    assert not at.exception, at.exception


def errors(at):
    return "\n".join(e.value for e in at.error)


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.session_state["window_start"] = FIRST.date()
    at.session_state["window_end"] = LAST.date()
    at.switch_page(CAMPAIGN).run()
    assert not at.exception and not at.error, errors(at)
    at.number_input(key="opt_time_limit_s").set_value(10).run()
    original = at.session_state["spots"].copy()
    optimise(at)
    assert not at.error, errors(at)
    yield at, original
    at.session_state["spots"] = original


def in_window(spots):
    days = pd.DatetimeIndex(spots["start"]).normalize()
    return spots[(days >= FIRST) & (days <= LAST)]


def grp_per_week(spots):
    local = in_window(spots)
    week = pd.DatetimeIndex(local["start"]).isocalendar().week.to_numpy()
    return local.assign(week=week).groupby(["channel", "week"])["grp"].sum()


def test_the_proposal_keeps_each_channels_grp_per_week(app):
    at, original = app
    result = at.session_state["optimise_proposal"]["result"]
    proposed = at.session_state["optimise_proposal"]["result"].schedule
    local = proposed.assign(start=pd.DatetimeIndex(proposed["start"]).tz_localize(None))
    before, after = grp_per_week(original), grp_per_week(local)
    assert set(after.index) == set(before.index)
    assert ((after - before).abs() <= 0.05 * before + 1e-9).all(), pd.concat([before, after], axis=1)
    assert len(result.moves) and any("move Rai" in t for t in at.text[0].value.splitlines())
    assert any("lower bound" in c.value for c in at.caption)
    comparison = [df.value for df in at.dataframe if "Total cost" in df.value.index]
    assert comparison and list(comparison[0].columns)[:2] == ["original", "optimised"]


def test_accept_then_restore(app):
    at, original = app
    result = at.session_state["optimise_proposal"]["result"]
    button(at, "Accept the proposed schedule").click().run()
    assert not at.exception and not at.error, errors(at)
    spots = at.session_state["spots"]
    expected = result.schedule[["start", "channel", "grp"]].copy()
    expected["start"] = pd.DatetimeIndex(expected["start"]).tz_localize(None)
    assert spots.reset_index(drop=True).equals(expected.reset_index(drop=True))
    assert len(at.session_state["spots_rows"]) == len(expected)  # the editor shows it
    assert at.metric[0].value == f"{len(expected):,}"
    button(at, "Restore the previous schedule").click().run()
    assert not at.exception and not at.error, errors(at)
    assert at.session_state["spots"].equals(original)
    assert len(at.session_state["spots_rows"]) == len(original)


def test_saved_proposal_is_compared(app):
    at, _ = app
    name = [t for t in at.text_input if t.label == "Scenario name"][0]
    name.set_value("Optimised 19-22 April").run()
    button(at, "Save as a scenario").click().run()
    assert not at.exception and not at.error, errors(at)
    saved = at.session_state["scenarios"]["Optimised 19-22 April"]
    result = at.session_state["optimise_proposal"]["result"]
    assert saved["plan"] is not None and saved["airings"] == len(result.schedule)
    assert saved["window"] == (FIRST.date(), LAST.date())
    at.switch_page("app_pages/compare_page.py").run()
    assert not at.exception and not at.error, errors(at)
    assert any("Optimised 19-22 April" in df.value.columns for df in at.dataframe)
    at.switch_page(CAMPAIGN).run()


@pytest.mark.parametrize("cap, message", [
    (0, "Max airings per day and channel** must be a whole number of airings >= 1"),
    (1, "(at most 1 a day, **Max airings per day and channel**)"),
])
def test_an_impossible_cap_is_named(app, cap, message):
    at, original = app
    at.number_input(key="opt_max_per_day").set_value(cap).run()
    optimise(at)
    assert message in errors(at), errors(at)
    assert errors(at).startswith("No proposal: ")
    assert at.session_state["spots"].equals(original)  # nothing lost
    at.number_input(key="opt_max_per_day").set_value(None).run()


def test_fewest_lost_calls_keeps_the_roster(app):
    at, original = app
    at.radio(key="opt_objective").set_value("lost_calls").run()
    optimise(at)
    assert not at.error, errors(at)
    proposal = at.session_state["optimise_proposal"]
    assert proposal["objective"] == "lost_calls"
    summary = proposal["result"].comparison
    assert summary.loc["Total cost", "optimised"] == summary.loc["Total cost", "original"]
    assert at.session_state["spots"].equals(original)
    [t for t in at.text_input if t.label == "Scenario name"][0].set_value("Same staff").run()
    button(at, "Save as a scenario").click().run()
    at.switch_page("app_pages/compare_page.py").run()
    assert not at.exception and not at.error, errors(at)
    assert any("Same staff" in df.value.columns for df in at.dataframe)
    at.switch_page(CAMPAIGN).run()
    at.radio(key="opt_objective").set_value("cost").run()


def test_blackout_hours_are_kept_free(app):
    at, _ = app
    at.checkbox(key="opt_blackout").check().run()
    at.time_input(key="opt_blackout_from").set_value(pd.Timestamp("16:00").time()).run()
    at.time_input(key="opt_blackout_to").set_value(pd.Timestamp("18:00").time()).run()
    optimise(at)
    assert not at.error, errors(at)
    schedule = at.session_state["optimise_proposal"]["result"].schedule
    local = in_window(schedule.assign(start=pd.DatetimeIndex(schedule["start"]).tz_localize(None)))
    hours = pd.DatetimeIndex(local["start"]).hour
    assert len(local) and not ((hours >= 16) & (hours < 18)).any()
    at.time_input(key="opt_blackout_from").set_value(pd.Timestamp("18:00").time()).run()
    optimise(at)
    assert "Blackout hours: 'to' must be after 'from'" in errors(at)
    at.checkbox(key="opt_blackout").uncheck().run()


def test_a_dead_optimiser_process_is_said_and_replaced(app):
    import os
    import signal

    from app_pages.optimise_panel import _optimiser

    at, _ = app
    button(at, "Optimise schedule").click().run()
    job = at.session_state["optimise_job"]["future"]
    assert not job.done()
    for pid in list(_optimiser()._processes):  # while it runs
        os.kill(pid, signal.SIGKILL)
    while not job.done():
        time.sleep(0.1)
    at.run()
    assert "process ended before it had a proposal" in errors(at), errors(at)
    optimise(at)  # in a new process
    assert not at.error, errors(at)


def test_the_settings_survive_a_visit_to_another_page(app):
    at, _ = app
    at.number_input(key="opt_grp_pct").set_value(7.0).run()
    label = at.multiselect(key="opt_fixed").options[0]
    at.multiselect(key="opt_fixed").set_value([label]).run()
    at.switch_page("app_pages/forecast_page.py").run()
    at.switch_page(CAMPAIGN).run()
    assert at.number_input(key="opt_grp_pct").value == 7.0
    assert at.multiselect(key="opt_fixed").value == [label]
    at.number_input(key="opt_grp_pct").set_value(5.0).run()
    at.multiselect(key="opt_fixed").set_value([]).run()
