"""Compare: keep the current set-up as a scenario and compare scenarios side by side."""

import streamlit as st

from app_pages._common import current_capacity, guard, plan_settings, shift_settings
from staffing.capacity import compare_plans

st.title("Compare scenarios")


def body() -> None:
    name = st.text_input("Name for the current set-up",
                         value=f"Scenario {len(st.session_state['scenarios']) + 1}")
    if st.button("Save current set-up"):
        if not name.strip():
            raise ValueError("give the scenario a name")
        st.session_state["scenarios"][name.strip()] = {
            "plan": current_capacity(), "settings": plan_settings(), "shifts": shift_settings(),
            "airings": len(st.session_state["spots"])}
        st.success(f"Saved {name.strip()!r}.")
    saved = st.session_state["scenarios"]
    if not saved:
        st.info("Save a scenario, change the schedule or the targets, save again, and compare.")
        return
    table = compare_plans({k: v["plan"] for k, v in saved.items()})
    st.dataframe(table, width="stretch")
    drop = st.multiselect("Remove scenarios", list(saved))
    if drop and st.button("Remove"):
        for key in drop:
            saved.pop(key, None)
        st.rerun()


guard(body)
