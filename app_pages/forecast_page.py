"""Forecast: calls per interval with the p10-p90 band, the airings, and what drives them."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import (
    RESOLUTIONS,
    current_forecast,
    current_model_key,
    current_spots,
    dates_choice,
    guard,
    read_upload,
    reforecast,
)
from forecast.io import read_history


def body() -> None:
    label = st.radio("Resolution", list(RESOLUTIONS), horizontal=True, key="resolution")
    freq = RESOLUTIONS[label]
    fc, parts = current_forecast(freq)
    spots = current_spots()
    a, b, c = st.columns(3)
    a.metric("Calls in the window", f"{fc['mean'].sum():,.0f}")
    daily = fc["mean"].resample("1D").sum()
    b.metric("Busiest day", f"{daily.max():,.0f}", help=f"{daily.idxmax():%a %d %b %Y}")
    campaign = parts.filter(like=":").sum().sum()
    c.metric("Calls due to the campaign", f"{campaign:,.0f}",
             help="fast response after each airing plus the carry-over of days")
    # What the forecast cannot vouch for stands out; the rest of what it says is one click away.
    doubts = fc.attrs.get("warnings", [])
    for doubt in doubts:
        st.warning(doubt)
    notes = [note for note in fc.attrs.get("notes", []) if note not in doubts]
    if notes:
        with st.expander(f"Notes on this forecast ({len(notes)})"):
            for note in notes:
                st.caption(note)

    plot = fc.reset_index().assign(t=lambda f: f["interval_start"].dt.tz_localize(None))
    base = alt.Chart(plot).encode(x=alt.X("t:T", title="Interval start"))
    band = base.mark_area(opacity=0.25).encode(
        y=alt.Y("p10:Q", title=f"Calls per {label}"), y2="p90:Q")
    line = base.mark_line().encode(
        y="mean:Q", tooltip=[alt.Tooltip("t:T", format="%a %d %b %H:%M"),
                             alt.Tooltip("mean:Q", format=",.0f"),
                             alt.Tooltip("p10:Q", format=",.0f"), alt.Tooltip("p90:Q", format=",.0f")])
    layers = [band, line]
    window = (fc.index[0], fc.index[-1])
    inside = spots[(spots["start"] >= window[0]) & (spots["start"] <= window[1])]
    if len(inside):
        marks = pd.DataFrame({"t": pd.DatetimeIndex(inside["start"]).tz_localize(None),
                              "channel": inside["channel"].to_numpy()})
        layers.append(alt.Chart(marks).mark_rule(opacity=0.25).encode(
            x="t:T", color=alt.Color("channel:N", title="Airing"), tooltip=["channel", "t:T"]))
    st.altair_chart(alt.layer(*layers).properties(height=320, title="Calls with the 80 % band"),
                    width="stretch")

    st.subheader("What drives the calls")
    long = parts.resample("1D").sum().reset_index().melt(
        "interval_start", var_name="component", value_name="calls")
    long["day"] = long["interval_start"].dt.tz_localize(None)
    stack = alt.Chart(long).mark_bar().encode(
        x=alt.X("day:T", title="Day"), y=alt.Y("calls:Q", title="Calls per day", stack=True),
        color=alt.Color("component:N", title="Baseline / fast:channel / slow:channel"),
        tooltip=["component", alt.Tooltip("calls:Q", format=",.0f"), alt.Tooltip("day:T")])
    st.altair_chart(stack.properties(height=280), width="stretch")
    days, _ = current_forecast("1D")  # daily quantiles, not sums of interval quantiles
    table = days.rename(columns={"mean": "calls"})[["calls", "p10", "p50", "p90"]]
    table.index = table.index.strftime("%a %d %b %Y")
    st.dataframe(table.style.format("{:,.0f}"), width="stretch")


def today() -> None:
    st.subheader("Re-forecast today")
    model = st.session_state["forecaster"]
    dates_choice()
    file = st.file_uploader("Calls so far today (interval_start, calls)", type=["csv", "xlsx"],
                            key="actuals_upload",
                            help="The rest of that day is re-forecast from them")
    if file is not None:
        st.session_state["actuals"] = read_upload(file, read_history, tz=model.tz)
    actuals = st.session_state.get("actuals")
    if actuals is None:
        return
    freq = RESOLUTIONS[st.session_state["resolution"]]
    freq = "15min" if freq == "1D" else freq  # a day cannot be split at "now"
    plain, updated, now = reforecast(model, current_model_key(), current_spots(),
                                     actuals, freq)
    rest = updated.index >= now
    a, b = st.columns(2)
    a.metric("Rest of the day, plain forecast", f"{plain['mean'][rest].sum():,.0f}")
    b.metric("Rest of the day, given the calls so far", f"{updated['mean'][rest].sum():,.0f}",
             delta=f"{updated['mean'][rest].sum() - plain['mean'][rest].sum():+,.0f}")
    plot = pd.DataFrame({"t": updated.index.tz_localize(None), "plain": plain["mean"],
                         "given the calls so far": updated["mean"], "p10": updated["p10"],
                         "p90": updated["p90"]})
    long = plot.melt("t", ["plain", "given the calls so far"], var_name="forecast",
                     value_name="calls")
    seen = actuals["calls"].resample(freq).sum(min_count=1).dropna()
    dots = pd.DataFrame({"t": seen.index.tz_convert(model.tz).tz_localize(None),
                         "calls": seen.to_numpy()})
    band = alt.Chart(plot).mark_area(opacity=0.2).encode(x="t:T", y="p10:Q", y2="p90:Q")
    lines = alt.Chart(long).mark_line().encode(
        x=alt.X("t:T", title="Interval start"), y=alt.Y("calls:Q", title=f"Calls per {freq}"),
        color=alt.Color("forecast:N", title="Forecast"))
    points = alt.Chart(dots).mark_point(filled=True, color="black").encode(x="t:T", y="calls:Q")
    st.altair_chart(alt.layer(band, lines, points).properties(
        height=280, title="Today: calls so far (dots), the plain forecast and the re-forecast "
                          "with its 80 % band"), width="stretch")


guard(body)
guard(today)
