"""Forecast: calls per interval with the p10-p90 band, the airings, and what drives them."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import RESOLUTIONS, current_forecast, current_spots, guard

st.title("Forecast")


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


guard(body)
