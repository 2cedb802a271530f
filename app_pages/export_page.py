"""Export: the forecast, the staffing plan and the shift plan as CSV or one Excel workbook."""

import streamlit as st

from app_pages._common import current_capacity, current_forecast, guard, workbook_bytes

st.title("Export")


def body() -> None:
    fc, parts = current_forecast("15min")
    plan = current_capacity()
    st.download_button("Forecast (CSV, 15 min)", fc.join(parts).to_csv(), "forecast.csv",
                       "text/csv")
    st.download_button("Staffing plan (CSV)", plan.requirements.to_csv(), "staffing_plan.csv",
                       "text/csv")
    st.download_button("Shift plan (CSV)", plan.shifts.shifts.to_csv(index=False), "shifts.csv",
                       "text/csv")
    st.download_button("Everything (Excel workbook)", workbook_bytes(plan, fc), "picco_plan.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


guard(body)
