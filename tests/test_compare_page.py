"""AppTest of the Compare page: two saved scenarios with different service targets."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")
PAGE = "app_pages/compare_page.py"
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def button(at, label):
    for b in at.button:
        if b.label == label:
            return b
    raise AssertionError(f"no button {label!r}: {[b.label for b in at.button]}")


def save_scenario(at, target_pct, name):
    at.switch_page("app_pages/staffing_page.py").run()
    at.slider(key="sl_pct").set_value(target_pct).run()
    at.switch_page(PAGE).run()
    at.text_input[0].set_value(name).run()
    button(at, "Save current set-up").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def frame_with(at, label):
    for df in at.dataframe:
        if label in df.value.index:
            return df.value
    raise AssertionError(f"no table with a row {label!r}")


@pytest.fixture(scope="module")
def app():
    import app_pages._common as common

    with pytest.MonkeyPatch.context() as mp:
        # As people use the app: pages show the previous plan while a new one is computed.
        # A saved scenario must still hold the plan of its own settings.
        mp.setattr(common, "PLAN_WAIT_S", 0.0)
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        save_scenario(at, 80, "Target 80")
        save_scenario(at, 90, "Target 90")
        yield at
        at.switch_page("app_pages/staffing_page.py").run()
        at.slider(key="sl_pct").set_value(80).run()


def test_each_scenario_holds_its_own_plan(app):
    saved = app.session_state["scenarios"]
    for name, target in (("Target 80", 0.8), ("Target 90", 0.9)):
        assert saved[name]["settings"]["sl_target"] == target
        assert saved[name]["plan"].settings["sl_target"] == target


def test_comparison_is_formatted_with_signed_differences(app):
    table = frame_with(app, "Total cost")
    assert list(table.columns) == ["Target 80", "Target 90", "Target 90 vs Target 80"]
    for name in ("Target 80", "Target 90"):
        assert re.fullmatch(r"[\d,]+ EUR", table.loc["Total cost", name])
        assert re.fullmatch(r"\d+\.\d%", table.loc["Service level", name])
    diff = table["Target 90 vs Target 80"]
    # A higher target costs more and answers more calls within the target time.
    assert re.fullmatch(r"\+[\d,]+ EUR", diff["Total cost"])
    assert re.fullmatch(r"\+\d+\.\d pts", diff["Service level"])


def test_inputs_show_each_scenarios_target(app):
    inputs = frame_with(app, "Service level target")
    assert inputs.loc["Service level target", "Target 80"].startswith("80% ")
    assert inputs.loc["Service level target", "Target 90"].startswith("90% ")
    assert inputs.loc["Service goal", "Target 80"] == "each day"
    app.toggle[0].set_value(True).run()
    assert list(frame_with(app, "Service level target").index) == ["Service level target"]
    app.toggle[0].set_value(False).run()


def test_no_none_and_no_snake_case_anywhere(app):
    assert not app.exception and not app.error
    texts = []
    for df in app.dataframe:
        value = df.value
        texts += [str(x) for x in value.index] + [str(x) for x in value.columns]
        texts += [str(x) for x in value.to_numpy().ravel()]
    texts += [m.label for m in app.metric] + [str(m.value) for m in app.metric]
    texts += [c.value for c in app.caption] + [h.value for h in app.subheader]
    assert texts
    assert not [t for t in texts if "None" in t or "nan" in t.lower().split()]
    assert not [t for t in texts if SNAKE.search(t)]


def test_metrics_and_the_daily_chart(app):
    labels = [m.label for m in app.metric]
    assert labels == ["Total cost, Target 90", "Service level, Target 90"]
    assert app.metric[0].delta.startswith("+")
    assert len(app.get("vega_lite_chart")) == 2  # cost and service level per day


def test_removing_a_scenario(app):
    app.multiselect[0].set_value(["Target 90"]).run()
    button(app, "Remove").click().run()
    assert list(app.session_state["scenarios"]) == ["Target 80"]
    assert not app.exception and not app.error
    assert not app.get("vega_lite_chart")
