"""picco: plan a TV campaign's call centre. ``make run`` opens it on the 2009 scenario.

Reads widgets, calls the library (through the cached helpers in ``pages/_common.py``),
draws. No model or queueing code lives in the UI.
"""

import streamlit as st

from pages._common import init_state, sidebar

st.set_page_config(page_title="picco - campaign capacity planner", layout="wide")
init_state()
sidebar()
pages = [
    st.Page("pages/campaign.py", title="Campaign", icon=":material/live_tv:", default=True),
    st.Page("pages/forecast_page.py", title="Forecast", icon=":material/show_chart:",
            url_path="forecast"),
    st.Page("pages/staffing_page.py", title="Staffing", icon=":material/headset_mic:",
            url_path="staffing"),
    st.Page("pages/temps.py", title="Temporary staff", icon=":material/group_add:"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("pages/model_page.py", title="Model", icon=":material/model_training:",
            url_path="model"),
    st.Page("pages/export_page.py", title="Export", icon=":material/download:",
            url_path="export"),
]
st.navigation(pages).run()
