"""Temporary staff: shifts, permanent team and terms; who to hire, when, and the cost."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import WEEKDAYS, current_capacity, guard

with st.expander("Shifts, permanent team and terms", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    c1.multiselect("Shift lengths (hours)", [4, 5, 6, 7, 8], key="shift_lengths")
    c1.text_input("First start", key="open")
    c1.text_input("Last end", key="close")
    c1.multiselect("Working days of the line", WEEKDAYS, key="working_days",
                   help="Temps work, train and count lead time on these days only")
    c2.number_input("Permanent agents", 0, 5000, key="permanent")
    c2.text_input("Permanent shift from", key="permanent_start")
    c2.text_input("Permanent shift until", key="permanent_end")
    c2.number_input("Permanent cost per hour", 0.0, 500.0, step=1.0, key="permanent_cost")
    c3.number_input("Temp cost per hour", 0.0, 500.0, step=1.0, key="temp_cost")
    c3.text_input("Currency", key="currency")
    c3.number_input("Minimum paid hours per temp", 0.0, 2000.0, step=4.0,
                    key="min_contract_hours", help="The agency's minimum contract (0 = none)")
    c4.number_input("Training days (paid)", 0, 10, key="training_days")
    c4.number_input("Hiring lead time (working days)", 0, 30, key="lead_time_days")
    c4.number_input("Penalty per uncovered agent-hour", 0.0, 10_000.0, step=10.0,
                    key="under_penalty")


def _date(d) -> str:
    return pd.Timestamp(d).strftime("%a %d/%m/%Y") if d is not None and not pd.isna(d) else "-"


def body() -> None:
    plan = current_capacity()
    s = plan.summary
    cur = s["currency"]
    orders = plan.shifts.orders
    a, b, c, d = st.columns(4)
    a.metric("Temps to hire", f"{s['temps_hired']:,}")
    b.metric("Call the agency by", _date(orders["order_by"].min()) if len(orders) else "-",
             help="The first order; the order list below has every date")
    c.metric("Total cost", f"{s['total_cost']:,.0f} {cur}",
             help=f"temps {s['temp_cost']:,.0f}, permanent team {s['permanent_cost']:,.0f}")
    d.metric("Uncovered agent-hours", f"{s['uncovered_agent_hours']:,.0f}")
    st.caption(f"Service level with this roster {s['service_level']:.1%} "
               f"(± {s['service_level_ci']:.1%}), abandoned {s['abandon_rate']:.1%}; "
               f"temps work {_date(s['first_day'])} to {_date(s['last_day'])}.")

    st.subheader("Order list for the agency")
    if len(orders):
        st.dataframe(pd.DataFrame({
            "Temps": orders["temps"], "Call the agency by": orders["order_by"].map(_date),
            "Training from": orders["training_start"].map(_date),
            "Training days": orders["training_days"],
            "First working day": orders["first_work_day"].map(_date),
            "Last working day": orders["last_work_day"].map(_date)}),
            hide_index=True, width="stretch")
    else:
        st.info("No temps needed.")
    costs = pd.DataFrame({"Item": ["Temps: shifts", "Temps: training", "Temps: idle (contract)",
                                   "Permanent team", "Total"],
                          "Paid hours": [s["temp_shift_hours"], s["temp_training_hours"],
                                         s["idle_paid_hours"], s["permanent_hours"],
                                         s["temp_shift_hours"] + s["temp_training_hours"]
                                         + s["idle_paid_hours"] + s["permanent_hours"]],
                          f"Cost ({cur})": [s["temp_shift_cost"], s["temp_training_cost"],
                                            s["temp_idle_cost"], s["permanent_cost"],
                                            s["total_cost"]]})
    st.dataframe(costs.style.format({"Paid hours": "{:,.0f}", f"Cost ({cur})": "{:,.0f}"}),
                 hide_index=True, width="stretch")
    st.caption(f"Paid hours on duty beyond the requirement: {s['over_coverage_hours']:,.0f}.")
    for note in s["notes"]:
        st.info(note)

    hires = plan.shifts.hires.reset_index()
    hires["date"] = hires["date"].astype(str)
    bars = alt.Chart(hires).mark_bar().encode(
        x=alt.X("date:O", title="Day"), y=alt.Y("temps_working:Q", title="Temps working"),
        tooltip=["date", "new_temps", "temps_available", "temps_working"])
    st.altair_chart(bars.properties(height=220, title="Temps working per day"), width="stretch")

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
    shifts = plan.shifts.shifts.copy()
    shifts["date"] = shifts["date"].map(_date)
    for col in ("start", "end"):
        shifts[col] = shifts[col].dt.strftime("%H:%M")
    st.dataframe(shifts, width="stretch", hide_index=True)


guard(body)
