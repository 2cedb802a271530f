import numpy as np
import pandas as pd
import pytest

from campaign.candidates import break_table
from campaign.curves import break_curves, linearity_error
from campaign.load import mol_at_boundaries
from forecast import CallForecaster, CampaignResponse
from forecast.airings import airing_calls
from forecast.synthetic import make_campaign
from staffing.load import modified_offered_load

TZ = "Europe/Rome"
pytestmark = pytest.mark.filterwarnings("ignore::forecast.notes.ForecastWarning")


@pytest.fixture(scope="module")
def saturated():
    """A response with saturation, a build-up, a half-additive carry-over and an unrated rate."""
    response = CampaignResponse(calls_per_grp={"Rai 1": 40.0, "Rai 2": 25.0},
                                lift_per_grp={"Rai 1": 0.03, "Rai 2": 0.01},
                                fast_half_life_min=2.0, fast_rise_min=0.5,
                                slow_half_life_days=1.5, saturation_grp=6.0, carryover_mix=0.5,
                                unrated_grp={"Rai 1": 1.5, "Rai 2": 1.0})
    history = make_campaign(days=21, campaign_from_day=21, seed=4).history
    return CallForecaster(response=response).fit(history)


@pytest.fixture(scope="module")
def plan():
    return pd.DataFrame({"start": ["2024-01-29 10:30", "2024-01-29 10:31", "2024-01-30 20:30",
                                   "2024-01-31 09:00", "2024-02-01 15:15"],
                         "channel": ["Rai 1", "Rai 1", "Rai 2", "Rai 1", "rai 2"],
                         "grp": [8.0, 3.0, 0.0, 12.0, 5.0]})


INDEX = pd.date_range("2024-01-29", "2024-02-04", freq="5min", tz=TZ, inclusive="left")


def test_each_row_is_the_airing_alone(saturated, plan):
    rows = airing_calls(saturated, INDEX, plan)
    blind = saturated.predict(INDEX, None, quantiles=())["mean"].to_numpy()
    for i in range(len(plan)):
        alone = saturated.predict(INDEX, plan.iloc[[i]], quantiles=())["mean"].to_numpy() - blind
        assert np.allclose(rows[i], alone, rtol=1e-9, atol=1e-9 * alone.max())


def test_sum_of_curves_equals_predict_where_saturation_is_fixed(saturated, plan):
    """Airings in different breaks: the sum reproduces the forecaster within 1e-6."""
    rows = airing_calls(saturated, INDEX, plan)
    full = saturated.predict(INDEX, plan, quantiles=())["mean"].to_numpy()
    blind = saturated.predict(INDEX, None, quantiles=())["mean"].to_numpy()
    gap = np.abs(full - blind - rows.sum(axis=0)).max() / (full - blind).max()
    assert gap < 1e-6


def test_one_break_is_saturated_once(saturated):
    """Two airings in one minute: rows overstate it; the break table merges them first."""
    two = pd.DataFrame({"start": ["2024-01-29 10:30", "2024-01-29 10:30"],
                        "channel": ["Rai 1", "Rai 1"], "grp": [6.0, 6.0]})
    full = saturated.predict(INDEX, two, quantiles=())["mean"].to_numpy()
    blind = saturated.predict(INDEX, None, quantiles=())["mean"].to_numpy()
    assert airing_calls(saturated, INDEX, two).sum() > 1.2 * (full - blind).sum()
    breaks, outside = break_table(two, two, start=INDEX[0], end=INDEX[-1], tz=TZ)
    curves = break_curves(saturated, INDEX, breaks, outside)
    assert len(breaks) == 1
    assert linearity_error(full, curves, np.array([True])) < 1e-6


def test_mol_boundaries_match_the_staffing_load(saturated, plan):
    calls = saturated.predict(INDEX, plan, quantiles=())["mean"].to_numpy()
    _, peak = modified_offered_load(calls / 300.0, 240.0, 300.0)
    s = mol_at_boundaries(calls, 300.0, 240.0)
    assert np.allclose(np.maximum(s[:-1], s[1:]), peak, rtol=1e-9, atol=1e-9)
