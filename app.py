"""picco app: staffing calculator (the campaign planner pages build on this).

Reads widgets, calls the library, draws. No queueing maths here.
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import staffing

st.set_page_config(page_title="picco - staffing calculator", layout="wide")
st.title("picco · staffing calculator")
st.caption("Agents needed for one interval, with Erlang C or Erlang A (callers who hang up).")

left, right = st.columns([1, 2])
with left:
    calls = st.number_input("Calls per interval", min_value=0.0, value=1000.0, step=10.0)
    interval_min = st.selectbox("Interval (minutes)", [5, 15, 30, 60], index=2)
    aht_s = st.number_input("Average handling time (s)", min_value=1.0, value=240.0, step=10.0)
    sl_pct = st.slider("Service level target (%)", 50, 99, 80)
    target_s = st.number_input("Answer within (s)", min_value=0.0, value=20.0, step=5.0)
    model = st.radio("Model", ["erlang_a", "erlang_c"], horizontal=True,
                     format_func={"erlang_a": "Erlang A (abandonment)",
                                  "erlang_c": "Erlang C"}.get)
    patience_s = st.number_input("Mean patience (s)", min_value=1.0, value=60.0, step=5.0,
                                 disabled=model == "erlang_c")
    shrinkage_pct = st.slider("Shrinkage (%)", 0, 60, 30)

patience = patience_s if model == "erlang_a" else None
interval_s = interval_min * 60.0
try:
    agents = staffing.required_agents(calls, aht_s, interval_s, sl_target=sl_pct / 100,
                                      target_s=target_s, model=model, patience_s=patience)
    scheduled = staffing.scheduled_agents(agents, shrinkage_pct / 100)
    span = np.arange(max(agents - 15, 1), agents + 16)
    r = staffing.erlang_a(calls, aht_s, interval_s, span, patience or 1e9, target_s) \
        if model == "erlang_a" else None
    traffic = calls * aht_s / interval_s
    sl = r.service_level if r is not None else staffing.service_level(traffic, span, aht_s,
                                                                       target_s)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

with right:
    a, b, c, d = st.columns(4)
    here = int(np.flatnonzero(span == agents)[0]) if agents in span else 0
    a.metric("Agents on the phones", f"{agents:,}")
    b.metric("Scheduled (after shrinkage)", f"{scheduled:,}")
    c.metric("Service level", f"{sl[here]:.1%}")
    d.metric("Offered load", f"{traffic:,.1f} Erl")
    curve = pd.DataFrame({"agents": span, "service level": sl})
    chart = alt.Chart(curve).mark_line(point=True).encode(
        x=alt.X("agents:Q", title="Agents on the phones"),
        y=alt.Y("service level:Q", title=f"Answered within {target_s:g} s", axis=alt.Axis(format="%")),
        tooltip=["agents", alt.Tooltip("service level:Q", format=".1%")])
    rule = alt.Chart(pd.DataFrame({"target": [sl_pct / 100]})).mark_rule(color="red").encode(y="target:Q")
    st.altair_chart(chart + rule, use_container_width=True)
    if r is not None:
        st.write(f"Abandonment at {agents:,} agents: {float(r.p_abandon[here]):.1%}; "
                 f"average speed of answer {float(r.asa_s[here]):.1f} s.")
