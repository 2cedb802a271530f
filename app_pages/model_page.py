"""Model: fit on your own history, check it by backtest, save or load a campaign response."""

import time
import zoneinfo
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages._common import (
    dates_choice,
    guard,
    model_from_response,
    read_upload,
    response_json,
    set_model,
)
from forecast import CallForecaster, backlog, backtest, growth, read_spots, special_days, yearly
from forecast.backtest import BacktestResult
from forecast.baseline import HOLIDAY
from forecast.calendar import Calendar, zone_name
from forecast.campaign import carryover_form
from forecast.io import read_history
from forecast.response import peak_delay_s
from tabular.days import days_of

FIT = "fit_outcome"  # the last fit on an uploaded history, kept while other pages are shown
# History and spot frames waiting to be fitted, as the button leaves uploaded files: the
# way to hand the page frames without an upload (AppTest cannot upload files).
REQUEST = "fit_request"
# Settings of the fit, kept under their own keys: widget values vanish while another page
# is shown.
DAYS, DAYS_WIDGET = "fit_backtest_days", "backtest_days"
HOLIDAYS, HOLIDAYS_WIDGET = "fit_holidays", "holidays_rule"
FROM_FILE = "from the file (else Europe/Rome)"


@st.cache_resource
def zones() -> list[str]:
    """The zone choices; listing the tz database takes milliseconds, so once per process."""
    return [FROM_FILE, *sorted(zoneinfo.available_timezones())]


ZONE_WIDGET, ZONE = "fit_zone_widget", "fit_zone"
HOLIDAY_RULES = {"learn from the history": None, "closed": True, "ordinary days": False}
# Each backtest day refits the model (about 0.7 s on the 2009 history): five days keep a
# fit and its check near five seconds; the planner can ask for more.
BACKTEST_DAYS = 5
MAX_BACKTEST_DAYS = 60
METHODS = {"picco": "This fit", "seasonal_naive": "Same time one week before",
           "weekday_average_4": "Average of the same weekday, last 4 weeks",
           "last_year_scaled": "Same weekday last year, scaled by the recent growth"}
# Plain headers and formats of the backtest summary; pinball and coverage columns are
# named after their quantiles, so they are matched by prefix.
SCORES = {"WAPE": ("Error, share of calls (WAPE)", "{:.1%}"),
          "MAPE": ("Mean error per interval (MAPE)", "{:.1%}"),
          "sMAPE": ("Symmetric error (sMAPE)", "{:.1%}"),
          "bias": ("Bias (+: too many calls)", "{:+.1%}"),
          "MASE": ("Error against last week's (MASE)", "{:.2f}"),
          "n": ("Intervals compared", "{:,.0f}")}



def current() -> None:
    model: CallForecaster = st.session_state["forecaster"]
    r = model.response
    st.subheader(st.session_state["model_name"])
    if not (r.channels or r.calls_per_grp or r.lift_per_grp):
        # Shapes of a response that was never fitted would read as measured.
        st.info(r.note or "No campaign response: the history came without spots. The "
                "forecast is the baseline's; fit on a history with its spots to learn one.")
        calendar(model)
        return
    used = r.measurable  # a response the fit dropped has its strengths set to 0
    if used:
        a, b, c = st.columns(3)
        a.metric("Fast response half-life", f"{r.fast_half_life_min:.1f} min")
        b.metric("Carry-over half-life", f"{r.slow_half_life_days:.1f} days")
        c.metric("Saturation", "none" if r.saturation_grp == float("inf")
                 else f"{r.saturation_grp:.0f} GRP")
    response_notes(model)
    effects = model.effect_summary()
    numbers = [c for c in effects.columns if c != "significant"]
    st.dataframe(effects.style.format("{:.4g}", subset=numbers, na_rep="–"), width="stretch")
    if not used:  # the estimates before selection stay in the table; no shapes to show
        calendar(model)
        return
    st.caption(f"Carry-over {carryover_form(r.carryover_mix)}; fast response "
               + (f"peaks {peak_delay_s(r.fast_half_life_min * 60, r.fast_rise_min * 60) / 60:.1f} "
                  "min after the airing" if r.fast_rise_min > 0 else "largest at the airing")
               + ("; one strength shared by all channels" if r.pooled else "")
               + ("; one carry-over shared by all channels" if r.slow_pooled else "")
               + (f"; out of sample a day's campaign calls strayed ±{r.day_rel_sd:.0%} from the "
                  "strengths, and the bands carry it" if r.day_rel_sd > 0 else ""))
    st.download_button("Download the campaign response (JSON)", response_json(model),
                       file_name="campaign_response.json", mime="application/json")
    calendar(model)


def response_notes(model: CallForecaster) -> None:
    """What the campaign fit concluded: its note, and which effects it kept per channel."""
    r = model.response
    if r.note.startswith("no measurable"):
        st.warning(r.note)
    elif r.note:
        st.info(r.note)
    if r.kept:
        parts = []
        for channel, (fast, slow) in r.kept.items():
            found = " and ".join(name for name, kept in (("fast calls", fast), ("carry-over", slow))
                                 if kept)
            parts.append(f"{channel}: {found or 'no measurable effect'}")
        st.caption("Effects the fit kept: " + "; ".join(parts))


def holidays_ahead(model: CallForecaster) -> tuple[str, str]:
    """How the forecast treats public holidays, and why (metric value, help)."""
    if model.holidays_closed is True:
        return "closed", "The line was set to close on public holidays."
    if model.holidays_closed is False:
        return "ordinary days", "Public holidays were set to be ordinary days."
    level = model.baseline_.day_factor[HOLIDAY] if model.baseline_ is not None else np.nan
    if not np.isfinite(level):
        again = model.calendar_.closed_holidays if model.calendar_ is not None else ()
        why = ("The days the baseline was fitted on hold no public holiday, so the forecast "
               "cannot tell them from ordinary days")
        if again:
            return "ordinary days", why + f", except those closed before: {', '.join(again)}."
        return "ordinary days", why + "."
    if level == 0:
        return "closed", "Every public holiday in the history was closed."
    return "open", "Public holidays in the history were open; the forecast keeps their level."


def _table(rows: list[dict], headers: dict) -> pd.DataFrame:
    """Rows of a calendar report with plain headers; missing figures as a dash."""
    frame = pd.DataFrame(rows)[list(headers)].rename(columns=headers)
    for col in frame.columns:
        if col.lower().endswith("calls"):  # "Calls" and "Usual calls"
            frame[col] = [f"{x:,.0f}" if x is not None and np.isfinite(x) else "–"
                          for x in frame[col]]
    return frame


def calendar(model: CallForecaster) -> None:
    cal: Calendar | None = model.calendar_
    if cal is None:
        return
    st.markdown("**Calendar**")
    a, b, c = st.columns(3)
    a.metric("Time zone", cal.zone, help=f"From: {cal.zone_source}")
    b.metric("Public holidays of", cal.country or "none", help=f"From: {cal.country_source}")
    value, why = holidays_ahead(model)
    c.metric("Public holidays ahead", value, help=why)
    report = cal.report()
    if report["public_seen"]:
        st.caption("Public holidays in the history (open ones stay open in the forecast)")
        st.dataframe(_table(report["public_seen"], {
            "date": "Date", "name": "Holiday", "status": "In the history", "calls": "Calls",
            "usual_calls": "Usual calls"}), hide_index=True, width="stretch")
    else:
        st.caption("No public holiday in the history.")
    holidays = {row["date"] for row in report["public_seen"]}
    others = [row for row in report["closures"] if row["date"] not in holidays]
    if others:
        st.caption("Other closures found in the history (days far below their weekday)")
        st.dataframe(_table(others, {"date": "Date", "calls": "Calls",
                                     "usual_calls": "Usual calls"}),
                     hide_index=True, width="stretch")
    if cal.recurring:
        st.caption("Closed every year on: " + ", ".join(cal.recurring))
    if cal.open_holidays:
        st.caption("Open on: " + ", ".join(cal.open_holidays))
    if cal.closed_holidays and model.holidays_closed is not False:
        st.caption("Closed again on (closed or unlogged in the history): "
                   + ", ".join(cal.closed_holidays))
    info = model.baseline_.info if model.baseline_ is not None else {}
    if info.get("after_closure") is not None:  # models saved before it was measured say nothing
        st.caption(backlog.describe(info["after_closure"]))
    if info.get("yearly") is not None:
        st.caption(yearly.describe(info["yearly"]))
    if "wape_with_growth" in (info.get("growth") or {}):  # checked: a year and a quarter or more
        st.caption(growth.describe(info["growth"]))
    if (info.get("special_days") or {}).get("tested"):
        st.caption(special_days.describe(info["special_days"]))


def load_response() -> None:
    file = st.file_uploader("Load a campaign response (JSON) to plan the next campaign",
                            type=["json"], key="response_upload")
    if file is not None and st.button("Use this response"):
        set_model(model_from_response(file.getvalue().decode()),
                  f"2009 baseline + response from {file.name}")
        st.rerun()


# ---- fit on an uploaded history -------------------------------------------------------
def backtest_days_possible(history: pd.DataFrame) -> int:
    """Days a backtest can forecast: days with calls that have four weeks of history before.

    Four weeks is what the benchmark averages over; at least two days are always tried.
    """
    calls = history["calls"]
    daily = calls.groupby(days_of(calls.index)).sum()
    days = daily.index[daily.to_numpy() > 0]
    first = days_of(calls.index)[0]
    return max(2, int((days >= first + pd.Timedelta(days=28)).sum()))


def fit_and_backtest(history: pd.DataFrame, spots: pd.DataFrame | None, days: int,
                     progress, holidays_closed: bool | None = None,
                     ) -> tuple[CallForecaster, BacktestResult, dict]:
    """Fit on the whole history, backtest on its last ``days`` days; seconds per step.

    ``progress(text, done)`` follows both, ``done`` from 0 to 1; ``holidays_closed`` as
    for `CallForecaster`, in the fit and in every backtest day.
    """
    if not isinstance(days, int | np.integer) or days < 2:
        raise ValueError(f"backtest days must be a whole number of at least 2, got {days!r}")
    # A backtest day refits the model, so it costs about as much as the fit itself.
    share = 1.0 / (1 + days)
    seconds = {}
    start = time.perf_counter()
    model = CallForecaster(holidays_closed=holidays_closed).fit(
        history, spots, progress=lambda stage, done: progress(f"Fitting: {stage}", share * done))
    seconds["fit"] = time.perf_counter() - start
    start = time.perf_counter()
    result = backtest(history, spots, origins=days,
                      model=lambda: CallForecaster(holidays_closed=holidays_closed),
                      progress=lambda stage, done: progress(f"Backtest: {stage}",
                                                            share + (1 - share) * done))
    seconds["backtest"] = time.perf_counter() - start
    return model, result, seconds


def scores(result: BacktestResult) -> tuple[float, str | None, float]:
    """WAPE of the fit, the best simple benchmark and its WAPE (None, NaN: none could be made)."""
    best, bench = result.best_benchmark()
    return float(result.summary().loc["picco", "WAPE"]), best, bench


def worse(outcome: dict) -> bool:
    """True when the fit backtests worse than the best simple benchmark."""
    new, _, bench = scores(outcome["backtest"])
    return bool(np.isfinite(bench) and new > bench)


def use(outcome: dict) -> None:
    set_model(outcome["model"], outcome["name"])
    outcome["decision"] = "used"


def keep(outcome: dict) -> None:
    outcome["decision"] = "kept"


def run_fit(history: pd.DataFrame, spots: pd.DataFrame | None, name: str, bar,
            seconds: dict | None = None) -> None:
    """Fit and backtest with a progress bar; swap the model in unless it does worse.

    A fit that backtests worse than the benchmark waits for the planner's choice; the
    outcome stays in the session either way, for when the planner comes back.
    """
    asked = int(st.session_state.get(DAYS, BACKTEST_DAYS))
    days = min(asked, backtest_days_possible(history))

    def progress(text: str, done: float) -> None:
        bar.progress(float(np.clip(done, 0.0, 1.0)), text=text)

    rule = st.session_state.get(HOLIDAYS, "learn from the history")
    model, result, timing = fit_and_backtest(history, spots, days, progress,
                                             HOLIDAY_RULES[rule])
    outcome = {"name": name, "model": model, "backtest": result, "days": days, "asked": asked,
               "seconds": {**(seconds or {}), **timing}, "decision": None}
    st.session_state[FIT] = outcome
    if not worse(outcome):
        use(outcome)
        # The sidebar already shows the previous model's name: draw the page again.
        st.rerun()
    bar.empty()


def backtest_table(result: BacktestResult) -> pd.DataFrame:
    """The backtest summary with plain headers and formatted figures (a dash: no figure)."""
    summary = result.summary()
    out = pd.DataFrame(index=[METHODS.get(m, m) for m in summary.index])
    out.index.name = "Forecast"
    for col in summary.columns:
        if col in SCORES:
            header, fmt = SCORES[col]
        elif col.startswith("pinball_"):
            header, fmt = f"Quantile loss, {col.removeprefix('pinball_')}", "{:.2f}"
        elif col.startswith("coverage_"):
            lo, hi = col.removeprefix("coverage_").split("_")
            header, fmt = f"Calls inside the {lo}-{hi} band", "{:.0%}"
        else:
            header, fmt = col, "{:.3g}"
        out[header] = [fmt.format(x) if pd.notna(x) and np.isfinite(float(x)) else "–"
                       for x in summary[col]]
    return out


def verdict(outcome: dict) -> None:
    new, best, bench = scores(outcome["backtest"])
    versus = (f"backtest error (WAPE) {new:.1%}, against {bench:.1%} for the best simple "
              f"benchmark ({METHODS[best].lower()})" if np.isfinite(bench) else
              f"backtest error (WAPE) {new:.1%}; no benchmark (the history has no week "
              "before the backtest days)")
    in_use = outcome["model"] is st.session_state["forecaster"]
    if outcome["decision"] is None:
        st.warning(f"The new model forecasts worse than a simple benchmark: {versus}, over "
                   f"the last {outcome['days']} days. The current model "
                   f"({st.session_state['model_name']}) stays until you choose.")
        a, b = st.columns(2)
        a.button("Use the new model anyway", on_click=use, args=(outcome,), key="fit_use")
        b.button("Keep the current model", on_click=keep, args=(outcome,), key="fit_keep")
    elif in_use:
        st.success(f"In use as the forecast model: {versus}, over the last "
                   f"{outcome['days']} days.")
    else:
        st.info(f"Not in use (the forecast model is {st.session_state['model_name']}): "
                f"{versus}.")
        st.button("Use this fit", on_click=use, args=(outcome,), key="fit_use_later")


def last_fit() -> None:
    outcome = st.session_state.get(FIT)
    if outcome is None:
        return
    st.markdown(f"**Last fit: {outcome['name']}**")
    verdict(outcome)
    s = outcome["seconds"]
    took = ", ".join(f"{step} {s[step]:.1f} s" for step in ("reading", "fit", "backtest")
                     if step in s)
    st.caption(f"Backtest over the last {outcome['days']} days with calls"
               + (f" (you asked for {outcome['asked']}; the history allows "
                  f"{outcome['days']})" if outcome["asked"] > outcome["days"] else "")
               + f". Took {took}.")
    model = outcome["model"]
    if model is not st.session_state["forecaster"]:
        # The model in use is described at the top of the page; this one only here.
        response_notes(model)
        calendar(model)
    result: BacktestResult = outcome["backtest"]
    st.dataframe(backtest_table(result), width="stretch")
    t = result.table.reset_index()
    t["t"] = pd.DatetimeIndex(t["interval_start"]).tz_localize(None)
    best = result.best_benchmark()[0]
    shown = ["picco", *([best] if best else [])]
    t = t.rename(columns={"actual": "Actual", **METHODS})
    long = t.melt("t", ["Actual", *(METHODS[m] for m in shown)], var_name="series",
                  value_name="calls")
    st.altair_chart(alt.Chart(long).mark_line().encode(
        x=alt.X("t:T", title="Interval"), y=alt.Y("calls:Q", title="Calls"),
        color=alt.Color("series:N", title=None)).properties(
            height=260, title="Backtest: forecasts against actual calls"), width="stretch")


def remembered(widget: str, store: str, default) -> dict:
    """Widget arguments that keep its value under ``store`` across visits to other pages."""
    st.session_state[widget] = st.session_state.get(store, default)

    def save() -> None:
        st.session_state[store] = st.session_state[widget]

    return {"key": widget, "on_change": save}


@dataclass(frozen=True)
class KeptFile:
    """An uploaded file kept while other pages are shown (an uploader forgets its file)."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        """The file's bytes, as an uploaded file gives them."""
        return self.data


def kept_upload(label: str, key: str) -> KeptFile | None:
    """A file uploader whose file stays for the next fit after a visit to another page.

    Clearing the uploader forgets the file; leaving the page does not, so a planner can
    change a setting and refit without uploading again.
    """
    store = f"{key}_kept"

    def changed() -> None:
        upload = st.session_state.get(key)
        if upload is None:
            st.session_state.pop(store, None)
        else:
            st.session_state[store] = KeptFile(upload.name, upload.getvalue())

    upload = st.file_uploader(label, type=["csv", "xlsx"], key=key, on_change=changed)
    if upload is not None and store not in st.session_state:
        st.session_state[store] = KeptFile(upload.name, upload.getvalue())
    kept = st.session_state.get(store)
    if upload is None and kept is not None:
        st.caption(f"Using {kept.name}, uploaded earlier: upload another file to replace it.")
    return kept


def fit_own() -> None:
    st.subheader("Fit on your history")
    hist = kept_upload("History (interval_start, calls)", "hist")
    spots = kept_upload("Spots that aired in it (optional)", "hist_spots")
    a, b, c, d = st.columns(4)
    a.number_input("Backtest days", min_value=2, max_value=MAX_BACKTEST_DAYS, step=1,
                   **remembered(DAYS_WIDGET, DAYS, BACKTEST_DAYS),
                   help="The last days with calls, each forecast from the days before it "
                        "and compared with simple benchmarks. More days make the comparison "
                        "surer; each adds about as long as one fit.")
    b.selectbox("Public holidays", list(HOLIDAY_RULES),
                **remembered(HOLIDAYS_WIDGET, HOLIDAYS, "learn from the history"),
                help="Learned from the public holidays on the days the baseline is fitted "
                     "on (away from the campaign when the history has enough such days); "
                     "ordinary days if there are none.")
    c.selectbox("Time zone", zones(), **remembered(ZONE_WIDGET, ZONE, FROM_FILE),
                help="The line's zone: its days, hours and public holidays follow it. Times "
                     "with an offset (+01:00) are converted to it; times without one are "
                     "read in it. From the file: the zone of times with an offset, and "
                     "Europe/Rome when they have none.")
    dates_choice(d)
    request = st.session_state.pop(REQUEST, None)
    if hist is not None and st.button("Fit and backtest"):
        bar = st.progress(0.0, text="Reading the files")
        start = time.perf_counter()
        chosen = st.session_state.get(ZONE, FROM_FILE)
        history = read_upload(hist, read_history, tz="auto" if chosen == FROM_FILE else chosen)
        aired = read_upload(spots, read_spots, tz=zone_name(history.index.tz)) \
            if spots is not None else None
        run_fit(history, aired, f"fitted on {hist.name}", bar,
                {"reading": time.perf_counter() - start})
    elif request is not None:
        run_fit(request["history"], request.get("spots"), request["name"],
                st.progress(0.0, text="Starting"))
    last_fit()


guard(current)
guard(load_response)
guard(fit_own)
