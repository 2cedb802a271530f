"""Staffing: targets, model and service goal; agents per quarter-hour and the roster's service."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages._common import capacity_or_warning, guard

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
    c4.selectbox("Service goal", ["day", "interval", "window"], key="service_goal",
                 format_func={"interval": "every quarter-hour", "day": "each day",
                              "window": "the whole window"}.get,
                 help="Each day: the cheapest roster whose calls of every day meet the target; "
                      "every quarter-hour: staff each one to its worst minute")
    c4.slider("Floor per quarter-hour (%)", 0, 79, key="sl_floor_pct",
              disabled=st.session_state["service_goal"] == "interval",
              help="With a day goal: no quarter-hour staffed below this service level (0 = none)")
    c1.slider("Max occupancy (%)", 50, 100, key="max_occ_pct", help="100 = no cap")
    c2.slider("Max abandonment (%)", 0, 50, key="max_abandon_pct", help="0 = no target",
              disabled=st.session_state["queue_model"] == "erlang_c")


def body() -> None:
    plan = capacity_or_warning()
    if plan is None:
        return
    req = plan.requirements
    s = plan.summary
    a, b, c, d = st.columns(4)
    a.metric("Peak agents on the phones", f"{s['peak_on_phones']:,}",
             help=f"Rostered; the requirement's worst quarter-hour asks for {s['peak_agents']:,}")
    b.metric("Service level", f"{s['service_level']:.1%}",
             help=f"Answered within {plan.settings['target_s']:g} s over calls offered, "
                  f"± {s['service_level_ci']:.1%} (95 %)")
    c.metric("Abandoned", f"{s['abandon_rate']:.1%}", help=f"{s['abandoned_calls']:,.0f} calls")
    d.metric("Days below target", f"{s['days_below_target']}",
             help=f"worst day {s['worst_day_service_level']:.1%}")
    st.caption(f"Every service figure in the app comes from one evaluation of the roster: "
               f"{s['simulation_replications']} seeded simulation runs of the forecast calls "
               "(Poisson within each 5 minutes, exponential handling and patience) against "
               "the agents the shifts put on the phones, the queue carried from one interval "
               "to the next.")
    frame = req.reset_index()
    frame["t"] = frame["interval_start"].dt.tz_localize(None)
    # Closed hours become gaps (nulls), so no line is drawn across nights and weekends.
    open_ = (frame["calls"] > 0) | (frame["on_phones"] > 0)
    long = frame.melt(id_vars=["t", "calls", "binding"], value_vars=["agents", "on_phones"],
                      var_name="what", value_name="n")
    long.loc[~np.tile(open_.to_numpy(), 2), "n"] = np.nan
    long["what"] = long["what"].map({"agents": "required (target in every quarter-hour)",
                                     "on_phones": "rostered on the phones"})
    x = alt.X("t:T", title="Quarter-hour")
    agents = alt.Chart(long).mark_line(interpolate="step-after").encode(
        x=x, y=alt.Y("n:Q", title="Agents"),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("t:T", format="%a %d/%m %H:%M"),
                 alt.Tooltip("calls:Q", format=",.0f"), "what", "n", "binding"])
    frame["sl"] = frame["service_level"].where(frame["calls"] > 0)
    sl = alt.Chart(frame).mark_line().encode(
        x=x, y=alt.Y("sl:Q", title="Service level", axis=alt.Axis(format="%"),
                     scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("t:T", format="%a %d/%m %H:%M"),
                 alt.Tooltip("service_level:Q", format=".1%"),
                 alt.Tooltip("abandon_rate:Q", format=".1%")])
    rule = alt.Chart(pd.DataFrame({"y": [st.session_state["sl_pct"] / 100]})).mark_rule(
        color="red").encode(y="y:Q")
    st.altair_chart(alt.vconcat(agents.properties(height=280, title="Agents per quarter-hour"),
                                (sl + rule).properties(height=170,
                                                       title="Service level of the roster"))
                    .resolve_scale(x="shared"), width="stretch")

    st.subheader("Day by day")
    daily = plan.daily[plan.daily["calls"] > 0]
    if daily.empty:
        return
    table = pd.DataFrame({
        "Day": [d.strftime("%a %d/%m/%Y") for d in daily.index],
        "Calls": daily["calls"].round().astype(int),
        "Service level": daily["service_level"],
        "± (95 %)": daily["service_level_ci"],
        "Abandoned": daily["abandon_rate"],
        "ASA (s)": daily["asa_s"],
        "Agent-hours on the phones": daily["agents_on_phones_hours"],
        "Temps": daily["temps"],
        "Cost": daily["cost"]})
    st.dataframe(table.style.format({"Service level": "{:.1%}", "± (95 %)": "{:.1%}",
                                     "Abandoned": "{:.1%}", "ASA (s)": "{:.0f}",
                                     "Agent-hours on the phones": "{:,.0f}",
                                     "Cost": "{:,.0f}"}), hide_index=True, width="stretch")


guard(body)
