import datetime as dt

import pandas as pd
import pytest

from staffing.permanent import PermanentShift, PermanentTeam

TZ = "Europe/Rome"


def quarter_hours(start, end, tz=TZ):
    return pd.date_range(start, end, freq="15min", tz=tz, inclusive="left")


def test_on_duty_follows_hours_breaks_and_weekdays():
    # Fri 17 to Sun 19 April 2009; the team works 08:00-16:00 Monday to Friday with a
    # 30-minute break from 11:45.
    idx = quarter_hours("2009-04-17", "2009-04-20")
    duty = PermanentTeam.simple(3, "08:00", "16:00").on_duty(idx)
    friday = duty["2009-04-17"]
    assert friday["2009-04-17 07:45"] == 0 and friday["2009-04-17 08:00"] == 3
    assert friday["2009-04-17 11:30"] == 3 and friday["2009-04-17 11:45"] == 0
    assert friday["2009-04-17 12:00"] == 0 and friday["2009-04-17 12:15"] == 3
    assert friday["2009-04-17 15:45"] == 3 and friday["2009-04-17 16:00"] == 0
    assert friday.sum() * 0.25 == 3 * 7.5  # 7.5 hours on the phones each
    assert duty["2009-04-18":].sum() == 0  # nobody at the weekend


def test_holidays_and_paid_hours_over_the_days_of_the_index():
    idx = quarter_hours("2009-04-13 08:00", "2009-04-15 18:00")  # Mon 13 (Easter Monday) to Wed 15
    team = PermanentTeam.simple(2, "08:00", "16:00", hourly_cost=18.0)
    assert team.paid_hours(idx) == 3 * 2 * 8 and team.cost(idx) == 48 * 18
    closed = PermanentTeam(team.shifts, hourly_cost=18.0, holidays=[dt.date(2009, 4, 13)])
    assert closed.on_duty(idx)["2009-04-13"].sum() == 0
    assert closed.on_duty(idx)["2009-04-14"].sum() == team.on_duty(idx)["2009-04-14"].sum()
    assert closed.paid_hours(idx) == 2 * 2 * 8 and closed.cost(idx) == 32 * 18
    # A day the index only touches is paid whole: the shift is paid, not the interval.
    assert team.paid_hours(quarter_hours("2009-04-14 15:00", "2009-04-14 15:30")) == 16


def test_shifts_add_up_on_their_own_days():
    idx = quarter_hours("2009-04-17 08:00", "2009-04-18 20:00")  # Fri and Sat
    team = PermanentTeam((PermanentShift(2, "08:00", 8.0),
                          PermanentShift(1, "12:00", 6.0, days=(4, 5), breaks=()),
                          PermanentShift(0, "09:00", 4.0, breaks=())), hourly_cost=10.0)
    duty = team.on_duty(idx)
    assert duty["2009-04-17 10:00"] == 2 and duty["2009-04-17 13:00"] == 3
    assert duty["2009-04-18 10:00"] == 0 and duty["2009-04-18 13:00"] == 1
    assert duty["2009-04-18 18:00"] == 0
    assert team.agents == 3
    assert team.paid_hours(idx) == 2 * 8 + 6 + 6 and team.cost(idx) == 280


def test_night_shift_runs_past_midnight_and_is_paid_on_its_first_day():
    # Mon 20 April 2009 00:00 to Wed 22 08:00, hourly; the night shift starts 22:00 on
    # weekdays, so Sunday night has nobody and Monday night has its break at 01:45-02:15.
    idx = pd.date_range("2009-04-20 00:00", "2009-04-22 08:00", freq="h", tz=TZ, inclusive="left")
    team = PermanentTeam.simple(4, "22:00", "06:00")
    duty = team.on_duty(idx)
    assert duty["2009-04-20 00:00":"2009-04-20 21:00"].sum() == 0
    assert duty["2009-04-20 22:00"] == 4 and duty["2009-04-21 00:00"] == 4
    assert duty["2009-04-21 01:00"] == 3 and duty["2009-04-21 02:00"] == 3  # a quarter on break
    assert duty["2009-04-21 05:00"] == 4 and duty["2009-04-21 06:00"] == 0
    assert duty.sum() == 2 * 4 * 7.5  # Monday and Tuesday nights, 7.5 h on the phones each
    assert team.paid_hours(idx) == 3 * 4 * 8  # Mon, Tue and Wed nights start inside the index


def test_naive_and_daylight_saving_indexes():
    team = PermanentTeam.simple(1, "08:00", "12:00", days=range(7))
    naive = quarter_hours("2009-03-29", "2009-03-30", tz=None)
    aware = quarter_hours("2009-03-29", "2009-03-30")  # the clocks go forward at 02:00
    assert len(aware) == len(naive) - 4
    for idx in (naive, aware):
        duty = team.on_duty(idx)
        assert duty.sum() == 16 and duty[duty > 0].index[0].hour == 8
    one = pd.date_range("2009-04-20 08:00", periods=1, freq="15min")  # its freq gives the length
    assert team.on_duty(one).tolist() == [1.0]


def test_a_break_off_the_grid_counts_as_a_share_of_the_interval():
    idx = pd.date_range("2009-04-20 08:00", "2009-04-20 16:00", freq="h", inclusive="left")
    duty = PermanentTeam.simple(2, "08:00", "16:00").on_duty(idx)
    assert duty.tolist() == [2, 2, 2, 1.5, 1.5, 2, 2, 2]


def test_an_index_with_closed_hours_between_days():
    idx = quarter_hours("2009-04-20 08:00", "2009-04-20 18:00").append(
        quarter_hours("2009-04-21 08:00", "2009-04-21 18:00"))
    duty = PermanentTeam.simple(1, "09:00", "13:00").on_duty(idx)
    assert duty.sum() == 2 * 16


@pytest.mark.parametrize("make, message", [
    (lambda: PermanentShift(-1), "agents must be a whole number >= 0, got -1"),
    (lambda: PermanentShift(2.5), "agents must be a whole number >= 0, got 2.5"),
    (lambda: PermanentShift(1, start="8am"), "start must be a time such as '08:30', got '8am'"),
    (lambda: PermanentShift(1, length_h=0), "length_h must be > 0 and at most 24 hours, got 0"),
    (lambda: PermanentShift(1, length_h=30), "length_h must be > 0 and at most 24 hours, got 30"),
    (lambda: PermanentShift(1, days=(0, 7)), r"days must hold weekdays 0..6 \(Monday = 0\), got 7"),
    (lambda: PermanentShift(1, days=()), "days must list at least one weekday"),
    (lambda: PermanentShift(1, length_h=4, breaks=((3.75, 30),)), "end inside the 4 h shift"),
    (lambda: PermanentTeam(hourly_cost=-3), "hourly_cost must be a number >= 0, got -3"),
    (lambda: PermanentTeam(holidays=["13/04/2009"]), "holidays must be a date such as"),
    (lambda: PermanentTeam(shifts=PermanentShift(1)), "wrap it in a tuple"),
    (lambda: PermanentTeam(shifts=(3,)), "shifts must hold PermanentShift objects, got 3"),
    (lambda: PermanentTeam.simple(1, "08:00", "08:00"), "end must differ from start"),
    (lambda: PermanentTeam.simple(1).on_duty([1, 2]), "index must be a pandas DatetimeIndex"),
    (lambda: PermanentTeam.simple(1).on_duty(pd.DatetimeIndex(["2009-04-20 08:00"])),
     "at least two timestamps or a freq"),
    (lambda: PermanentTeam.simple(1).on_duty(pd.DatetimeIndex(["2009-04-20 09:00", "2009-04-20 08:00"])),
     "index must be sorted"),
])
def test_bad_input_is_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()
