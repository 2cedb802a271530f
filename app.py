"""picco: plan a TV campaign's call centre. ``make run`` opens it on the 2009 scenario.

Reads widgets, calls the library (through the cached helpers in ``app_pages/_common.py``),
draws. No model or queueing code lives in the UI.
"""

import streamlit as st

st.set_page_config(page_title="picco - campaign capacity planner", layout="wide")
pages = [
    st.Page("app_pages/overview_page.py", title="Overview", icon=":material/dashboard:",
            default=True, url_path="overview"),
    st.Page("app_pages/campaign_page.py", title="Campaign", icon=":material/live_tv:",
            url_path="campaign"),
    st.Page("app_pages/forecast_page.py", title="Forecast", icon=":material/show_chart:",
            url_path="forecast"),
    st.Page("app_pages/day_page.py", title="Day view", icon=":material/calendar_today:",
            url_path="day"),
    st.Page("app_pages/staffing_page.py", title="Staffing", icon=":material/headset_mic:",
            url_path="staffing"),
    st.Page("app_pages/temps_page.py", title="Temporary staff", icon=":material/group_add:",
            url_path="temps"),
    st.Page("app_pages/compare_page.py", title="Compare", icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("app_pages/model_page.py", title="Model", icon=":material/model_training:",
            url_path="model"),
    st.Page("app_pages/export_page.py", title="Export", icon=":material/download:",
            url_path="export"),
]
# Register the pages before anything slow runs, so a bookmarked page URL resolves, and draw
# the title before the library is imported: the first run shows it within a second or two.
page = st.navigation(pages)
st.title(page.title)
from app_pages._common import init_state, sidebar  # noqa: E402  (slow: numpy, scipy, pandas)

init_state()
sidebar()
page.run()
