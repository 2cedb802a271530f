"""Progress callbacks of `CallForecaster.fit` and `backtest`: stages in order, shares rising."""

import pytest

from forecast import CallForecaster, backtest
from forecast.model import FIT_STAGES
from forecast.synthetic import make_campaign


@pytest.fixture(scope="module")
def campaign():
    return make_campaign(days=42, campaign_from_day=28, seed=5)


def recorder():
    calls = []
    return calls, lambda stage, done: calls.append((stage, done))


def test_a_campaign_fit_reports_every_stage_in_order(campaign):
    calls, progress = recorder()
    model = CallForecaster().fit(campaign.history, campaign.spots, progress=progress)
    assert [s for s, _ in calls] == list(FIT_STAGES)
    shares = [d for _, d in calls]
    assert shares == sorted(shares) and shares[0] == 0.0 and shares[-1] == 1.0
    assert "campaign_check" in model.diagnostics_  # the check whose start was reported
    assert model._on_check is None


def test_progress_changes_nothing_in_the_fit(campaign):
    quiet = CallForecaster().fit(campaign.history, campaign.spots)
    _, progress = recorder()
    watched = CallForecaster().fit(campaign.history, campaign.spots, progress=progress)
    assert watched.to_dict() == quiet.to_dict()


def test_a_fit_without_spots_skips_the_campaign_stages(campaign):
    calls, progress = recorder()
    CallForecaster().fit(campaign.history, progress=progress)
    assert [s for s, _ in calls] == ["calendar", "baseline", "done"]


def test_a_failing_fit_leaves_no_callback_behind(campaign):
    model = CallForecaster()

    def progress(stage, done):
        if stage == "out-of-sample check":
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        model.fit(campaign.history, campaign.spots, progress=progress)
    assert model._on_check is None


def test_the_backtest_reports_each_day(campaign):
    calls, progress = recorder()
    result = backtest(campaign.history, origins=3, progress=progress)
    days = sorted(set(result.table["origin"].dt.date))
    assert [s for s, _ in calls] == [f"day {k} of 3 ({d})" for k, d in enumerate(days, 1)] \
        + ["done"]
    assert [d for _, d in calls] == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])
