import pandas as pd
import pytest

from campaign import break_slots
from forecast import CallForecaster
from forecast.synthetic import make_campaign

TZ = "Europe/Rome"
SETTINGS = dict(aht_s=240, patience_s=120, sl_target=0.8, target_s=20, shrinkage=0.3)
# A week after the history: Monday 29 January to Sunday 4 February 2024.
START, END = "2024-01-29", "2024-02-05"


@pytest.fixture(scope="session")
def model():
    truth = make_campaign(days=21, campaign_from_day=7, seed=11, daily_calls=1500.0)
    return CallForecaster(response=truth.truth).fit(truth.history)


@pytest.fixture(scope="session")
def spots():
    """Two daytime airings a day, a heavy Monday: one break per channel and minute."""
    rows = []
    for day in pd.date_range(START, periods=5, freq="D"):
        d = f"{day:%Y-%m-%d}"
        rows += [(f"{d} 10:30", "Rai 1", 6.0), (f"{d} 15:00", "Rai 2", 4.0)]
    rows += [(f"{START} 11:00", "Rai 1", 8.0), (f"{START} 11:15", "Rai 3", 5.0)]
    return pd.DataFrame(rows, columns=["start", "channel", "grp"])


@pytest.fixture(scope="session")
def candidates(spots):
    return break_slots(spots, pd.date_range(START, periods=6, freq="D"), tz=TZ)
