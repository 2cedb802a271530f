"""Day view: one day's calls, agents required against rostered, and its service."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages._common import capacity_or_warning, current_forecast, current_spots, guard


def _chart_time(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index()
    out["t"] = out["interval_start"].dt.tz_localize(None)
    return out


def body() -> None:
    fc, _ = current_forecast("5min")
    plan = capacity_or_warning()
    days = sorted({t.date() for t in fc.index[fc["mean"] > 0]}) or sorted(
        {t.date() for t in fc.index})
    daily = fc["mean"].groupby(fc.index.date).sum()
    busiest = daily.idxmax()
    day = st.selectbox("Day", days, index=days.index(busiest) if busiest in days else 0,
                       format_func=lambda d: d.strftime("%a %d/%m/%Y"))
    one = fc[fc.index.date == day]
    st.metric("Calls that day", f"{one['mean'].sum():,.0f}")

    calls = _chart_time(one[one["mean"] > 0] if (one["mean"] > 0).any() else one)
    base = alt.Chart(calls).encode(x=alt.X("t:T", title="Time", axis=alt.Axis(format="%H:%M")))
    layers = [base.mark_area(opacity=0.25).encode(y=alt.Y("p10:Q", title="Calls per 5 min"),
                                                   y2="p90:Q"),
              base.mark_line().encode(y="mean:Q", tooltip=[
                  alt.Tooltip("t:T", format="%H:%M"), alt.Tooltip("mean:Q", format=",.0f"),
                  alt.Tooltip("p10:Q", format=",.0f"), alt.Tooltip("p90:Q", format=",.0f")])]
    spots = current_spots()
    airings = spots[pd.DatetimeIndex(spots["start"]).date == day]
    if len(airings):
        marks = pd.DataFrame({"t": pd.DatetimeIndex(airings["start"]).tz_localize(None),
                              "channel": airings["channel"].to_numpy(),
                              "grp": airings["grp"].to_numpy()})
        layers.append(alt.Chart(marks).mark_rule(strokeDash=[4, 3]).encode(
            x="t:T", color=alt.Color("channel:N", title="Airing",
                                     scale=alt.Scale(scheme="set1")),
            tooltip=[alt.Tooltip("t:T", format="%H:%M"), "channel", "grp"]))
    st.altair_chart(alt.layer(*layers).properties(
        height=260, title="Calls every 5 minutes with the 80 % band; dashed: airings"),
        width="stretch")
    if plan is None:
        return

    req = plan.requirements
    req = req[(req.index.date == day) & ((req["calls"] > 0) | (req["on_phones"] > 0))]
    if req.empty:
        st.info("Nobody is rostered and no calls are forecast on this day.")
        return
    frame = _chart_time(req)
    long = frame.melt(id_vars=["t"], value_vars=["agents", "on_phones"], var_name="what",
                      value_name="agents_n")
    long["what"] = long["what"].map({"agents": "required (target every quarter-hour)",
                                     "on_phones": "rostered on the phones"})
    x = alt.X("t:T", title="Quarter-hour", axis=alt.Axis(format="%H:%M"))
    agents = alt.Chart(long).mark_line(interpolate="step-after").encode(
        x=x, y=alt.Y("agents_n:Q", title="Agents"),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("t:T", format="%H:%M"), "what", "agents_n"])
    service = frame.melt(id_vars=["t"], value_vars=["service_level", "abandon_rate"],
                         var_name="measure", value_name="share")
    service["measure"] = service["measure"].map({"service_level": "service level",
                                                 "abandon_rate": "abandoned"})
    sl = alt.Chart(service).mark_line(interpolate="step-after").encode(
        x=x, y=alt.Y("share:Q", title="Share of calls", axis=alt.Axis(format="%"),
                     scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("t:T", format="%H:%M"), "measure",
                 alt.Tooltip("share:Q", format=".1%")])
    st.altair_chart(alt.vconcat(agents.properties(height=220), sl.properties(height=160))
                    .resolve_scale(x="shared"), width="stretch")

    s = plan.summary
    target = plan.settings["sl_target"]
    worst = req.loc[req["calls"] > 0, "service_level"].idxmin()
    w = req.loc[worst]
    st.subheader(f"The worst quarter-hour: {worst:%H:%M}")
    a, b, c, d = st.columns(4)
    a.metric("Calls", f"{w['calls']:,.0f}")
    b.metric("Service level", f"{w['service_level']:.1%}", help=f"target {target:.0%}")
    c.metric("Abandoned calls", f"{w['calls'] * w['abandon_rate']:,.0f}")
    short = max(float(w["agents"] - w["on_phones"]), 0.0)
    shortest_h = plan.settings["shift_lengths_h"][0]
    extra = int(np.ceil(short / (1 - plan.settings["shrinkage"]) - 1e-9))
    cost = extra * shortest_h * plan.settings["hourly_cost"]
    d.metric("To meet the target there", f"{extra:,} more agents",
             help=f"{extra:,} {shortest_h:g}-hour shifts: {cost:,.0f} {s['currency']} "
                  "(shifts are bought whole)")


guard(body)
