import pandas as pd

from forecast.io import read_history
from forecast.model import CallForecaster


def test_a_file_that_logs_the_repeated_hour_once_is_read_and_fitted(tmp_path):
    """Web and telephony exports often write one row per wall-clock hour across the clock change."""
    hours = pd.date_range("2014-10-20", "2014-11-03", freq="h", inclusive="left")  # naive, 24 a day
    path = tmp_path / "visits.csv"
    pd.DataFrame({"interval_start": hours.strftime("%Y-%m-%d %H:%M"), "calls": 100}).to_csv(
        path, index=False)
    history = read_history(path, tz="Europe/Warsaw")
    assert len(history) == len(hours) and history.index.is_unique
    assert str(history.index[history.index.hour == 2][6]) == "2014-10-26 02:00:00+02:00"
    CallForecaster(tz="Europe/Warsaw").fit(history)  # the second 02:00 is a gap, not an error
