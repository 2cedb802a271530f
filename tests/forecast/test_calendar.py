"""The calendar from the data: zone, holiday country, closures and recurring closures."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from forecast import CallForecaster, CampaignResponse
from forecast.backtest import backtest
from forecast.calendar import Calendar, country_of_zone, find_closures, learn_calendar
from forecast.cli import main
from forecast.io import read_history
from forecast.synthetic import make_campaign


def line(start="2024-01-08", days=42, tz="Europe/Rome", seed=0, interval_min=60, **kw):
    """A campaign-free history (make_campaign with the campaign after its end)."""
    return make_campaign(days=days, campaign_from_day=days, seed=seed, start=start, tz=tz,
                         interval_min=interval_min, **kw).history


def test_zone_and_country_come_from_a_tz_aware_history():
    model = CallForecaster().fit(line(tz="America/Chicago"))
    cal = model.diagnostics_["calendar"]
    assert (model.tz, model.country) == ("America/Chicago", "US")
    assert cal["zone_source"] == "history" and "America/Chicago" in cal["country_source"]


def test_naive_timestamps_keep_the_documented_default():
    history = line()
    history.index = history.index.tz_localize(None)
    model = CallForecaster().fit(history)
    assert (model.tz, model.country) == ("Europe/Rome", "IT")
    assert model.calendar_.zone_source.startswith("default")


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT-3"])
def test_utc_and_etc_zones_have_no_country(zone):
    assert country_of_zone(zone) is None
    model = CallForecaster().fit(line(tz=zone))
    assert model.country is None and model.calendar_.holidays(2024, 2025) == frozenset()


def test_explicit_settings_still_work_and_none_means_no_holidays():
    history = line(start="2024-03-18", days=35)  # Easter Monday 1 April 2024 inside
    legacy = CallForecaster(tz="Europe/Rome", country="IT").fit(history)
    auto = CallForecaster().fit(history)
    idx = pd.date_range("2024-04-22", periods=7 * 24, freq="1h", tz="Europe/Rome")
    pd.testing.assert_frame_equal(legacy.predict(idx), auto.predict(idx))
    bare = CallForecaster(country=None).fit(history)
    assert bare.country is None and bare.calendar_.country_source.startswith("none")
    with pytest.raises(ValueError, match="country 'XX'"):
        CallForecaster(country="XX").fit(history)
    with pytest.raises(ValueError, match="tz must be an IANA time zone"):
        CallForecaster(tz="Mars/Olympus")


def test_a_one_off_closure_is_found_and_does_not_pull_the_level_down():
    history = line(days=56, seed=3)
    closed = history.copy()
    wednesday = (closed.index.normalize() == pd.Timestamp("2024-02-28", tz="Europe/Rome"))
    closed.loc[wednesday, "calls"] = 0.0
    clean = CallForecaster().fit(history)
    model = CallForecaster().fit(closed)
    assert [c["date"] for c in model.diagnostics_["calendar"]["closures"]] == ["2024-02-28"]
    assert model.calendar_.excluded == ("2024-02-28",)
    assert model.baseline_.level == pytest.approx(clean.baseline_.level, rel=0.01)


def test_an_ordinary_slow_day_is_not_a_closure():
    days = pd.date_range("2024-01-01", periods=70, freq="D")
    rng = np.random.default_rng(0)
    calls = pd.Series(rng.poisson(np.where(days.day_of_week < 5, 400.0, 0.0)), index=days,
                      dtype=float)
    calls.iloc[30] *= 0.75  # a quiet Wednesday
    small = pd.Series(rng.poisson(np.where(days.day_of_week < 5, 6.0, 0.0)), index=days,
                      dtype=float)
    small.iloc[30] = 0.0  # no call at all on a line that gets six a day
    assert find_closures(calls).empty and find_closures(small).empty


def test_a_closure_recurring_on_the_same_date_is_a_holiday_in_later_years():
    days = pd.date_range("2022-11-01", "2024-11-30", freq="D", tz="UTC")
    rng = np.random.default_rng(1)
    calls = rng.poisson(np.where(days.day_of_week < 5, 500.0, 150.0)).astype(float)
    calls[(days.month == 12) & (days.day == 25)] = 0.0
    history = pd.DataFrame({"calls": calls}, index=days)
    model = CallForecaster().fit(history)
    assert model.country is None and model.calendar_.recurring == ("12-25",)
    fc = model.predict(pd.date_range("2024-12-20", "2024-12-31", freq="D", tz="UTC"))
    assert fc["mean"].iloc[5] < 1.0  # 25 December
    assert fc["mean"].iloc[7] > 300  # 27 December


def test_a_public_holiday_seen_open_stays_open():
    # A US line open on Columbus Day (14 October 2024) at its usual volume.
    history = line(start="2024-09-02", days=56, tz="America/New_York", seed=5)
    model = CallForecaster(holidays_closed=None).fit(history)
    seen = {r["name"]: r["status"] for r in model.diagnostics_["calendar"]["public_seen"]}
    assert seen["Columbus Day"] == "open"
    assert dt.date(2025, 10, 13) not in model.calendar_.holidays(2025, 2025)
    assert dt.date(2025, 12, 25) in model.calendar_.holidays(2025, 2025)


def test_learn_calendar_is_pure():
    history = line(tz="UTC")["calls"]
    before = history.copy()
    cal, prepared = learn_calendar(history, Calendar("UTC", "history", None, "none"))
    pd.testing.assert_series_equal(history, before)
    assert prepared is not history and cal.closures == ()


def test_saved_models_keep_the_calendar_and_old_files_load(tmp_path):
    model = CallForecaster().fit(line(tz="America/Chicago"))
    data = model.to_dict()
    again = CallForecaster.from_dict(json.loads(json.dumps(data)))
    assert again.calendar_ == model.calendar_ and again.tz == "America/Chicago"
    data.pop("calendar")  # a file written before the learned calendar
    old = CallForecaster.from_dict(data)
    idx = pd.date_range("2024-02-19", periods=48, freq="1h", tz="America/Chicago")
    pd.testing.assert_frame_equal(old.predict(idx), model.predict(idx))


def test_spots_in_another_zone_are_converted():
    sc = make_campaign(days=35, campaign_from_day=28, seed=2, interval_min=15)
    utc = sc.spots.assign(start=pd.DatetimeIndex(sc.spots["start"]).tz_convert("UTC"))
    text = utc.assign(start=pd.DatetimeIndex(utc["start"]).strftime("%Y-%m-%dT%H:%M:%SZ"))
    response = CampaignResponse(calls_per_grp={"Rai 1": 20.0}, lift_per_grp={"Rai 1": 0.01})
    rome = CallForecaster(response=response).fit(sc.history, sc.spots)
    other = CallForecaster(response=response).fit(sc.history, text)
    assert other.tz == "Europe/Rome"
    idx = pd.date_range("2024-02-12", periods=96, freq="15min", tz="Europe/Rome")
    np.testing.assert_allclose(other.predict(idx, utc)["mean"], rome.predict(idx, sc.spots)["mean"])


def test_backtest_zone_follows_the_history():
    history = line(tz="America/Chicago", days=28)
    result = backtest(history, origins=2, freq="1D")
    assert str(result.table.index.tz) == "America/Chicago"


@pytest.mark.parametrize("zone, expected", [("Europe/Rome", "Europe/Rome"), ("UTC", "UTC")])
def test_read_history_finds_the_zone_of_utc_offsets(tmp_path, zone, expected):
    history = line(tz=zone, days=14)
    history.to_csv(tmp_path / "h.csv")
    read = read_history(tmp_path / "h.csv")
    assert str(read.index.tz) == expected and "offset" in read.attrs["tz_source"]


def test_read_history_asks_for_the_zone_when_offsets_are_ambiguous(tmp_path):
    # Across the change to summer time: Toronto and New York give the same offsets.
    line(start="2024-03-01", tz="America/New_York", days=21).to_csv(tmp_path / "h.csv")
    with pytest.raises(ValueError, match="give the zone"):
        read_history(tmp_path / "h.csv")
    assert str(read_history(tmp_path / "h.csv", tz="America/New_York").index.tz) == \
        "America/New_York"


def test_cli_fit_reports_the_calendar(tmp_path, capsys):
    history = line(days=28)
    history.index = history.index.tz_localize(None)
    history.to_csv(tmp_path / "h.csv")
    assert main(["fit", str(tmp_path / "h.csv"), "--save", str(tmp_path / "m.json")]) == 0
    cal = json.loads(capsys.readouterr().out)["calendar"]
    assert (cal["zone"], cal["country"]) == ("Europe/Rome", "IT")
    assert main(["fit", str(tmp_path / "h.csv"), "--save", str(tmp_path / "m.json"),
                 "--country", "none", "--tz", "UTC"]) == 0
    cal = json.loads(capsys.readouterr().out)["calendar"]
    assert (cal["zone"], cal["country"]) == ("UTC", None)
    assert main(["fit", str(tmp_path / "h.csv"), "--save", str(tmp_path / "m.json"),
                 "--tz", "Nowhere/City"]) == 2
    assert "tz must be an IANA time zone" in capsys.readouterr().err


def test_the_weeks_before_a_campaign_are_not_closures():
    # Weeks counted across the clock change; the line runs 12x from 14 April, shut on the 13th.
    days = pd.date_range("2009-03-02", "2009-04-30", freq="D", tz="Europe/Rome")
    calls = np.where(days.day_of_week < 5, 600.0, 0.0)
    calls[days >= pd.Timestamp("2009-04-14", tz="Europe/Rome")] *= 12
    calls[days == pd.Timestamp("2009-04-13", tz="Europe/Rome")] = 0.0
    closures = find_closures(pd.Series(calls, index=days))
    assert list(closures.index) == [dt.date(2009, 4, 13)]


def _daily_line(tz, start, end, shut, seed=0, weekday_mean=(1.3, 1.1, 1.0, 1.0, 1.05, 0.45, 0.25)):
    """Daily calls closed on the country's public holidays and on the dates ``shut``."""
    import holidays as public
    days = pd.date_range(start, end, freq="D")
    country = public.country_holidays(country_of_zone(tz), years=range(days[0].year,
                                                                      days[-1].year + 2))
    mean = 600 * np.array(weekday_mean)[days.day_of_week]
    closed = np.array([d.date() in country for d in days]) | np.isin(days.date, list(shut))
    calls = np.where(closed, 0.0, np.random.default_rng(seed).poisson(mean))
    return pd.DataFrame({"calls": calls}, index=pd.DatetimeIndex(days.tz_localize(tz),
                                                                 name="interval_start"))


def test_a_year_end_break_seen_once_is_expected_again():
    """Japan's offices close 29 December to 3 January; the history holds one such break."""
    shut = [d.date() for y in (2022, 2023) for d in pd.date_range(f"{y}-12-29", f"{y + 1}-01-03")]
    history = _daily_line("Asia/Tokyo", "2023-01-01", "2024-11-30", shut)
    model = CallForecaster().fit(history)
    assert {"12-29", "12-30", "12-31", "01-02", "01-03"} <= set(model.calendar_.recurring)
    ahead = model.predict(pd.date_range("2024-12-26", "2025-01-07", freq="D", tz="Asia/Tokyo"),
                          quantiles=())["mean"]
    assert (ahead["2024-12-29":"2025-01-03"] == 0).all()
    assert (ahead["2024-12-26":"2024-12-27"] > 300).all() and ahead["2025-01-06"] > 300


def test_outages_that_share_a_date_in_two_years_of_three_are_not_a_yearly_closure():
    shut = [dt.date(2022, 11, 15), dt.date(2023, 11, 15)]
    history = _daily_line("Europe/Madrid", "2021-01-01", "2024-10-31", shut,
                          weekday_mean=(1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0))
    model = CallForecaster().fit(history)
    assert "11-15" not in model.calendar_.recurring
    assert {"2022-11-15", "2023-11-15"} <= set(model.calendar_.excluded)
    ahead = model.predict(pd.date_range("2024-11-11", "2024-11-16", freq="D", tz="Europe/Madrid"),
                          quantiles=())["mean"]
    assert ahead["2024-11-15"] == pytest.approx(ahead["2024-11-14"], rel=0.1)


@pytest.mark.parametrize("zone, country", [("Asia/Tokyo", "JP"), ("Europe/Madrid", "ES")])
def test_offsets_without_a_zone_name_get_the_country_whose_holidays_show(tmp_path, zone, country):
    """A CSV with offsets only: Tokyo reads as +09:00, Madrid as the default Europe/Rome."""
    history = _daily_line(zone, "2023-01-01", "2024-10-31", [])
    path = tmp_path / "calls.csv"
    history.to_csv(path)  # 2023-01-02 00:00:00+09:00, ...
    model = CallForecaster().fit(read_history(path))
    cal = model.diagnostics_["calendar"]
    assert model.country == country and "public holidays of the history" in cal["country_source"]
    if zone == "Asia/Tokyo":  # pandas' own fixed offset too, as pd.to_datetime reads such text
        fixed = history.copy()
        fixed.index = pd.to_datetime(pd.Index(fixed.index.astype(str))).rename("interval_start")
        assert CallForecaster().fit(fixed).country == "JP"


def test_offsets_of_a_line_open_on_holidays_keep_the_default_country(tmp_path):
    history = _daily_line("Europe/Madrid", "2023-01-01", "2024-10-31", [])
    history["calls"] = 600.0
    path = tmp_path / "calls.csv"
    history.to_csv(path)
    model = CallForecaster().fit(read_history(path))
    assert (model.tz, model.country) == ("Europe/Rome", "IT")


def test_a_region_whose_own_holidays_show_is_taken():
    """A Sydney line quiet on New South Wales' holidays: Labour Day (2 October) ahead too."""
    import holidays as public
    nsw = public.AU(subdiv="NSW", years=2023)
    idx = pd.date_range("2023-03-01", "2023-10-08", freq="h", tz="Australia/Sydney",
                        inclusive="left", name="interval_start")
    local = idx.tz_localize(None)
    mean = np.where((local.hour >= 8) & (local.hour < 20), 100.0, 10.0)
    mean = mean * np.where(np.isin(local.date, list(nsw)), 0.3, 1.0)
    history = pd.DataFrame({"calls": np.random.default_rng(0).poisson(mean).astype(float)},
                           index=idx)
    cut = pd.Timestamp("2023-09-25", tz="Australia/Sydney")
    model = CallForecaster().fit(history[history.index < cut])
    assert model.country == "AU-NSW" and "region NSW" in model.diagnostics_["calendar"]["country_source"]
    daily = model.predict(pd.date_range(cut, periods=10, freq="D"), quantiles=())["mean"]
    assert daily["2023-10-02"] < 0.5 * daily["2023-10-03"]


def test_no_region_when_a_region_holiday_ran_as_usual():
    history = line(start="2023-03-06", days=120, tz="Australia/Sydney")
    assert CallForecaster().fit(history).country == "AU"


def test_a_yearly_closure_that_fell_on_a_closed_sunday_one_year_still_recurs():
    """Closed every 24 December; in 2023 it was a Sunday, when the line is shut anyway."""
    shut = [dt.date(y, 12, 24) for y in (2021, 2022, 2023)]
    history = _daily_line("Europe/Madrid", "2021-06-01", "2024-10-31", shut,
                          weekday_mean=(1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0))
    assert "12-24" in CallForecaster().fit(history).calendar_.recurring
