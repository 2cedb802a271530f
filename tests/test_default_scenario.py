"""The app's shipped 2009 model is what fitting the embedded scenario gives today."""

import json

import numpy as np

from app_pages.default_scenario import PATH, fit_default, load_default


def same(a, b, path="") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and a and not isinstance(a[0], (int, float)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, (float, int, list)) and not isinstance(a, bool):
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-9,
                                   atol=1e-12, err_msg=path)
    else:
        assert a == b, path


def test_shipped_model_equals_a_fresh_fit():
    # If this fails, rewrite the file: python -m app_pages.default_scenario
    same(json.loads(json.dumps(fit_default())), json.loads(PATH.read_text()))


def test_shipped_model_predicts():
    import pandas as pd

    model, spots = load_default()
    idx = pd.date_range("2009-04-20", periods=288, freq="5min", tz="Europe/Rome")
    assert model.predict(idx, spots)["mean"].sum() > 10_000
