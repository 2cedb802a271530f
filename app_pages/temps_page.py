"""Temporary staff: shifts, permanent team and terms; who to hire, when, and the cost."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import current_capacity, guard

st.title("Temporary staff")

with st.expander("Shifts and terms", expanded=True):
    c1, c2, c3 = st.columns(3)
    c1.multiselect("Shift lengths (hours)", [4, 5, 6, 7, 8], key="shift_lengths")
    c1.text_input("First start", key="open")
    c1.text_input("Last end", key="close")
    c2.number_input("Permanent agents rostered", 0, 5000, key="permanent")
    c2.number_input("Temp cost per hour", 0.0, 500.0, step=1.0, key="temp_cost")
    c3.number_input("Training days (paid)", 0, 10, key="training_days")
    c3.number_input("Hiring lead time (days)", 0, 30, key="lead_time_days")
    c3.number_input("Penalty per uncovered agent-hour", 0.0, 10_000.0, step=10.0,
                    key="under_penalty")


def body() -> None:
    plan = current_capacity()
    s = plan.summary
    a, b, c, d = st.columns(4)
    a.metric("Temps to hire", f"{s['temps_hired']:,}")
    span = "-" if not s["first_day"] else (
        f"{pd.Timestamp(s['first_day']):%d %b} - {pd.Timestamp(s['last_day']):%d %b}")
    b.metric("From - until", span, help=f"{s['first_day']} to {s['last_day']}")
    c.metric("Temp cost", f"{s['temp_cost']:,.0f}")
    d.metric("Uncovered agent-hours", f"{s['uncovered_agent_hours']:,.0f}")
    st.caption(f"{s['temp_shift_hours']:,.0f} shift hours and {s['temp_training_hours']:,.0f} "
               f"training hours; service level with this roster {s['service_level']:.1%}.")
    hires = plan.shifts.hires.reset_index()
    hires["date"] = hires["date"].astype(str)
    bars = alt.Chart(hires).mark_bar().encode(
        x=alt.X("date:O", title="Day"), y=alt.Y("temps_working:Q", title="Temps working"),
        tooltip=["date", "new_temps", "temps_available", "temps_working"])
    st.altair_chart(bars.properties(height=220, title="Temps per day"), width="stretch")

    cov = plan.shifts.coverage.reset_index()
    cov["day"] = cov["interval_start"].dt.strftime("%a %d %b")
    cov["time"] = cov["interval_start"].dt.strftime("%H:%M")
    cov["gap"] = cov["staffed"] - cov["required"]
    cov = cov[(cov["required"] > 0) | (cov["staffed"] > 0)]
    heat = alt.Chart(cov).mark_rect().encode(
        x=alt.X("time:O", title="Time of day"), y=alt.Y("day:O", title=None, sort=None),
        color=alt.Color("gap:Q", title="Staffed - required",
                        scale=alt.Scale(scheme="redblue", domainMid=0)),
        tooltip=["day", "time", "required", "permanent", "temps", "staffed"])
    st.altair_chart(heat.properties(height=28 * cov["day"].nunique() + 40,
                                    title="Coverage: red = short, blue = over"),
                    width="stretch")
    st.subheader("Shifts")
    st.dataframe(plan.shifts.shifts, width="stretch", hide_index=True)


guard(body)
