"""A day's campaign calls stray from the strengths: measured out of sample, carried by the bands."""

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster, CampaignResponse
from forecast.holdout import day_rel_sd
from forecast.model_schema import check_response
from forecast.synthetic import make_campaign


def _rows(n, campaign_sd, plain_err_scale=1.0, plain=0, seed=0):
    """Hours of a check: 1,000 baseline calls forecast with sd 20, 500 campaign calls."""
    rng = np.random.default_rng(seed)
    camp = np.r_[np.full(n, 500.0), np.zeros(plain)]
    y = 1000 + camp * rng.normal(1, campaign_sd, n + plain) \
        + rng.normal(0, 20 * np.r_[np.full(n, plain_err_scale), np.full(plain, plain_err_scale)])
    return np.column_stack([y, 1000 + camp, np.full(n + plain, 20.0), camp ** 2])


@pytest.mark.parametrize("truth", [0.15, 0.3, 0.6])
def test_the_straying_is_measured(truth):
    assert day_rel_sd(_rows(400, truth)) == pytest.approx(truth, rel=0.2)


def test_no_straying_where_the_bands_held():
    assert day_rel_sd(_rows(400, 0.0)) == pytest.approx(0.0, abs=0.02)
    assert day_rel_sd(_rows(5, 0.5)) == 0.0  # too few hours to say


def test_refits_that_err_everywhere_do_not_blame_the_campaign():
    """The check's refits err 3 times their bands on hours without the campaign too."""
    rows = _rows(300, 0.0, plain_err_scale=3.0, plain=300)
    assert day_rel_sd(rows) == pytest.approx(0.0, abs=0.03)
    assert day_rel_sd(_rows(300, 0.0, plain_err_scale=3.0)) > 0.05  # no such hours: blamed


def test_the_bands_carry_it_and_a_saved_model_keeps_it(tmp_path):
    truth = make_campaign(days=35, campaign_from_day=14, seed=2)
    model = CallForecaster().fit(truth.history, truth.spots)
    index = pd.date_range(truth.history.index[-1] + pd.Timedelta(minutes=5), periods=288,
                          freq="5min")
    plan = truth.spots.assign(start=truth.spots["start"] + pd.Timedelta(days=7))
    plan = plan[plan["start"] >= index[0]]
    narrow = model.predict(index, plan)
    model.response = model.response.__class__(**{**model.response.__dict__, "day_rel_sd": 0.5})
    wide = model.predict(index, plan)
    assert (wide["p90"] - wide["p10"] >= narrow["p90"] - narrow["p10"] - 1e-9).all()
    assert ((wide["p90"] - wide["p10"]) > (narrow["p90"] - narrow["p10"]) + 1).any()
    pd.testing.assert_series_equal(wide["mean"], narrow["mean"])
    model.save(tmp_path / "m.json")
    assert CallForecaster.load(tmp_path / "m.json").response.day_rel_sd == 0.5


@pytest.mark.parametrize("value", [-0.1, 2.5, float("nan")])
def test_a_bad_straying_is_refused_naming_the_field(value):
    with pytest.raises(ValueError, match="day_rel_sd must be"):
        CampaignResponse(day_rel_sd=value)
    if np.isfinite(value):
        with pytest.raises(ValueError, match="response.day_rel_sd must be"):
            check_response({"day_rel_sd": value})
