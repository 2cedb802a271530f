from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")


def test_calculator_renders_and_reacts():
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    first = at.metric[0].value
    at.slider[0].set_value(95).run()  # raise the service-level target
    assert not at.exception
    assert int(at.metric[0].value.replace(",", "")) > int(first.replace(",", ""))
