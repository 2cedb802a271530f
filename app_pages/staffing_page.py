"""Staffing: targets and model, agents per quarter-hour, expected service and a simulation."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages._common import current_capacity, current_forecast, guard, plan_settings
from staffing.simulate import simulate

st.title("Staffing")

with st.expander("Targets and model", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    c1.slider("Service level target (%)", 50, 99, key="sl_pct")
    c1.number_input("Answered within (s)", 0, 600, step=5, key="target_s")
    c2.number_input("Average handling time (s)", 30, 1800, step=10, key="aht_s")
    c2.slider("Shrinkage (%)", 0, 60, key="shrinkage_pct")
    c3.radio("Queue model", ["erlang_a", "erlang_c"], key="queue_model",
             format_func={"erlang_a": "Erlang A (callers hang up)", "erlang_c": "Erlang C"}.get)
    c3.number_input("Mean patience (s)", 5, 1800, step=5, key="patience_s",
                    disabled=st.session_state["queue_model"] == "erlang_c")
    c4.radio("Time-varying load", ["mol", "sipp"], key="method",
             format_func={"mol": "MOL (spikes)", "sipp": "SIPP (period average)"}.get)
    c4.selectbox("Staff to", ["mean", "expected_sl"], key="staff_to",
                 format_func={"mean": "the mean forecast",
                              "expected_sl": "the target over the forecast range"}.get)
    c1.slider("Max occupancy (%)", 50, 100, key="max_occ_pct", help="100 = no cap")
    c2.slider("Max abandonment (%)", 0, 50, key="max_abandon_pct", help="0 = no target",
              disabled=st.session_state["queue_model"] == "erlang_c")


def body() -> None:
    plan = current_capacity()
    req = plan.requirements
    s = plan.summary
    a, b, c, d = st.columns(4)
    a.metric("Peak agents on the phones", f"{s['peak_agents']:,}")
    b.metric("Peak scheduled (after shrinkage)", f"{s['peak_scheduled']:,}")
    c.metric("Expected service level", f"{s['planned_service_level']:.1%}")
    if "achieved_abandon_rate" in s:
        d.metric("Abandoned (with the roster)", f"{s['achieved_abandon_rate']:.1%}")
    busy = req[req["calls"] > 0].reset_index()
    busy["t"] = busy["interval_start"].dt.tz_localize(None)
    chart = alt.Chart(busy).mark_bar(width=2).encode(
        x=alt.X("t:T", title="Quarter-hour"), y=alt.Y("agents:Q", title="Agents on the phones"),
        color=alt.Color("binding:N", title="Set by"),
        tooltip=[alt.Tooltip("t:T", format="%a %d %b %H:%M"), alt.Tooltip("calls:Q", format=",.0f"),
                 alt.Tooltip("staffing_load_erl:Q", title="load (Erl)", format=",.1f"),
                 "agents", "scheduled", alt.Tooltip("service_level:Q", format=".1%"), "binding"])
    st.altair_chart(chart.properties(height=300, title="Agents required per quarter-hour"),
                    width="stretch")
    sl = alt.Chart(busy).mark_line().encode(
        x=alt.X("t:T", title="Quarter-hour"),
        y=alt.Y("service_level:Q", title="Expected service level", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])))
    rule = alt.Chart(pd.DataFrame({"y": [st.session_state["sl_pct"] / 100]})).mark_rule(
        color="red").encode(y="y:Q")
    st.altair_chart((sl + rule).properties(height=200), width="stretch")

    st.subheader("Simulated day")
    days = sorted({t.date() for t in busy["interval_start"]})
    if not days:
        return
    peak_day = busy.groupby(busy["interval_start"].dt.date)["calls"].sum().idxmax()
    day = st.selectbox("Day to simulate", days, index=days.index(peak_day),
                       format_func=lambda d: d.strftime("%a %d %b %Y"))
    fc, _ = current_forecast("5min")
    one = fc[fc.index.date == day]
    agents = req.loc[req.index.date == day, "agents"].to_numpy()
    per = np.repeat(agents, 3)[: len(one)]
    settings = plan_settings()
    run = simulate(one["mean"].to_numpy(), 300, per, aht_s=float(st.session_state["aht_s"]),
                   patience_s=settings["patience_s"], target_s=settings["target_s"],
                   rng=np.random.default_rng(2009))
    tot = run.totals()
    a, b, c = st.columns(3)
    a.metric("Simulated calls", f"{tot['offered']:,}")
    b.metric("Simulated service level", f"{tot['service_level']:.1%}")
    c.metric("Simulated abandonment", f"{tot['abandon_rate']:.1%}")
    st.caption("One seeded run of the discrete-event simulation (first come, first served, "
               "exponential handling and patience) against this plan's agents.")


guard(body)
