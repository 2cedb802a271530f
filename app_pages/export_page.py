"""Export: forecast, staffing plan, days, order list and shifts as CSV, or one Excel workbook."""

import io
from functools import partial

import streamlit as st

from app_pages._common import (
    capacity_or_warning,
    current_forecast,
    current_spots,
    guard,
    showing_previous_plan,
    zone,
)
from staffing.export import csv_text, write_plan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(plan, forecast, spots, assumptions) -> bytes:
    buffer = io.BytesIO()
    write_plan_workbook(buffer, plan, forecast=forecast, spots=spots, assumptions=assumptions)
    return buffer.getvalue()


def download(where, label: str, data, name: str, mime: str = "text/csv", **kwargs) -> None:
    # The file is made when the button is clicked, not on every run of the page.
    where.download_button(label, data, name, mime, on_click="ignore", **kwargs)


def body() -> None:
    fc, parts = current_forecast("15min")
    forecast = fc.join(parts)
    st.caption(f"Times are local ({zone()} wall clock) without an offset, as Excel reads them. "
               "The workbook has a summary, every assumption, the days, the agency's order "
               "list, the spots, the quarter-hours, the shifts and the forecast.")
    plan = capacity_or_warning()
    if plan is None:
        download(st, "Forecast (CSV, 15 min)", partial(csv_text, forecast), "forecast.csv")
        return
    # The files must hold the current plan: while it is computed, the buttons wait for it.
    stale = {"disabled": showing_previous_plan()}
    ss = st.session_state
    # The plan keeps its own inputs (targets, shifts, terms, team); these it cannot know.
    assumptions = {"Forecast model": ss["model_name"],
                   "Planning window from": ss["window_start"],
                   "Planning window to": ss["window_end"]}
    download(st, "Everything (Excel workbook)",
             partial(workbook_bytes, plan, forecast, current_spots(), assumptions),
             "picco_plan.xlsx", XLSX, type="primary", **stale)
    c1, c2, c3 = st.columns(3)
    download(c1, "Forecast (CSV, 15 min)", partial(csv_text, forecast), "forecast.csv")
    download(c1, "Staffing plan (CSV, 15 min)", partial(csv_text, plan.requirements),
             "staffing_plan.csv", **stale)
    download(c2, "Day by day (CSV)", partial(csv_text, plan.daily), "daily.csv", **stale)
    download(c2, "Order list for the agency (CSV)", partial(csv_text, plan.shifts.orders),
             "orders.csv", **stale)
    download(c3, "Shifts (CSV)", partial(csv_text, plan.shifts.shifts), "shifts.csv", **stale)


guard(body)
