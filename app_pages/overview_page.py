"""Overview: the campaign's plan in ten seconds; every figure links to the page behind it."""

import pandas as pd
import streamlit as st

from app_pages._common import capacity_or_warning, guard

st.caption("The current schedule, forecast and plan at a glance. Every figure is the plan's "
           "own (the same as on the pages behind it).")


def _day(d) -> str:
    return pd.Timestamp(d).strftime("%a %d/%m/%Y")


def body() -> None:
    plan = capacity_or_warning()
    if plan is None:
        return
    s, daily = plan.summary, plan.daily
    busy = daily[daily["calls"] > 0]
    cur = s["currency"]
    a, b, c = st.columns(3)
    a.metric("Calls in the window", f"{s['calls']:,.0f}")
    a.page_link("app_pages/forecast_page.py", label="Forecast", icon=":material/show_chart:")
    if len(busy):
        top = busy["calls"].idxmax()
        b.metric("Busiest day", _day(top), help=f"{busy['calls'].max():,.0f} calls")
    else:
        b.metric("Busiest day", "-")
    b.page_link("app_pages/day_page.py", label="Day view", icon=":material/calendar_today:")
    c.metric("Peak agents on the phones", f"{s['peak_on_phones']:,}",
             help=f"rostered; the quarter-hour requirement peaks at {s['peak_agents']:,}")
    c.page_link("app_pages/staffing_page.py", label="Staffing", icon=":material/headset_mic:")

    d, e, f = st.columns(3)
    orders = plan.shifts.orders
    d.metric("Temps to hire", f"{s['temps_hired']:,}",
             help="call the agency by " + (_day(orders["order_by"].min()) if len(orders) else "-"))
    if len(orders):
        d.caption(f"First order by **{_day(orders['order_by'].min())}**")
    d.page_link("app_pages/temps_page.py", label="Order list", icon=":material/group_add:")
    e.metric("Cost", f"{s['total_cost']:,.0f} {cur}",
             help=f"temps {s['temp_cost']:,.0f}, permanent team {s['permanent_cost']:,.0f}")
    e.page_link("app_pages/temps_page.py", label="Cost breakdown", icon=":material/payments:")
    f.metric("Service level", f"{s['service_level']:.1%}",
             delta=f"{s['abandon_rate']:.1%} abandoned", delta_color="off",
             help=f"answered within {plan.settings['target_s']:g} s; "
                  f"{s['days_below_target']} day(s) below target")
    f.page_link("app_pages/staffing_page.py", label="Service by day",
                icon=":material/headset_mic:")
    for note in s.get("notes", [])[:2]:
        st.info(note)


guard(body)
