"""Model: fit on your own history, check it by backtest, save or load a campaign response."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import guard, model_from_response, read_upload, response_json
from forecast import CallForecaster, backtest, read_spots
from forecast.calendar import zone_name
from forecast.campaign import carryover_form
from forecast.io import read_history
from forecast.response import peak_delay_s

st.title("Forecast model")


def current() -> None:
    model: CallForecaster = st.session_state["forecaster"]
    r = model.response
    st.subheader(st.session_state["model_name"])
    a, b, c = st.columns(3)
    a.metric("Fast response half-life", f"{r.fast_half_life_min:.1f} min")
    b.metric("Carry-over half-life", f"{r.slow_half_life_days:.1f} days")
    c.metric("Saturation", "none" if r.saturation_grp == float("inf")
             else f"{r.saturation_grp:.0f} GRP")
    if r.note:
        st.info(r.note)
    effects = model.effect_summary()
    numbers = [c for c in effects.columns if c != "significant"]
    st.dataframe(effects.style.format("{:.4g}", subset=numbers), width="stretch")
    st.caption(f"Carry-over {carryover_form(r.carryover_mix)}; fast response "
               + (f"peaks {peak_delay_s(r.fast_half_life_min * 60, r.fast_rise_min * 60) / 60:.1f} "
                  "min after the airing" if r.fast_rise_min > 0 else "largest at the airing")
               + ("; one strength shared by all channels" if r.pooled else ""))
    st.download_button("Download the campaign response (JSON)", response_json(model),
                       file_name="campaign_response.json", mime="application/json")


def calendar() -> None:
    cal = st.session_state["forecaster"].calendar_
    if cal is None:
        return
    st.subheader("Calendar")
    a, b = st.columns(2)
    a.metric("Time zone", cal.zone, help=f"From: {cal.zone_source}")
    b.metric("Public holidays of", cal.country or "none", help=f"From: {cal.country_source}")
    report = cal.report()
    if report["public_seen"]:
        st.caption("Public holidays in the history (open ones stay open in the forecast)")
        st.dataframe(pd.DataFrame(report["public_seen"]), hide_index=True, width="stretch")
    holidays = {row["date"] for row in report["public_seen"]}
    others = [row for row in report["closures"] if row["date"] not in holidays]
    if others:
        st.caption("Other closures found in the history (days far below their weekday)")
        st.dataframe(pd.DataFrame(others), hide_index=True, width="stretch")
    if cal.recurring:
        st.caption("Closed every year on: " + ", ".join(cal.recurring))


def load_response() -> None:
    file = st.file_uploader("Load a campaign response (JSON) to plan the next campaign",
                            type=["json"], key="response_upload")
    if file is not None and st.button("Use this response"):
        st.session_state["forecaster"] = model_from_response(file.getvalue().decode())
        st.session_state["model_name"] = f"2009 baseline + response from {file.name}"
        st.rerun()


def fit_own() -> None:
    st.subheader("Fit on your history")
    hist = st.file_uploader("History (interval_start, calls)", type=["csv", "xlsx"], key="hist")
    spots = st.file_uploader("Spots that aired in it (optional)", type=["csv", "xlsx"],
                             key="hist_spots")
    if hist is None or not st.button("Fit and backtest"):
        return
    history = read_upload(hist, read_history, tz="auto")
    aired = read_upload(spots, read_spots, tz=zone_name(history.index.tz)) \
        if spots is not None else None
    with st.spinner("Fitting..."):
        model = CallForecaster(holidays_closed=None).fit(history, aired)
        result = backtest(history, aired, origins=min(10, max(2, history.index.normalize()
                                                              .nunique() // 5)))
    st.session_state["forecaster"] = model
    st.session_state["model_name"] = f"fitted on {hist.name}"
    st.dataframe(result.summary().style.format("{:.3f}"), width="stretch")
    t = result.table.reset_index()
    t["t"] = pd.DatetimeIndex(t["interval_start"]).tz_localize(None)
    long = t.melt("t", ["actual", "picco"], var_name="series", value_name="calls")
    st.altair_chart(alt.Chart(long).mark_line().encode(
        x=alt.X("t:T", title="Interval"), y=alt.Y("calls:Q", title="Calls"),
        color="series:N").properties(height=260, title="Backtest: forecast vs actual"),
        width="stretch")


guard(current)
guard(calendar)
guard(load_response)
guard(fit_own)
