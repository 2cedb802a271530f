"""Compare: keep the current set-up as a scenario and compare scenarios side by side."""

from itertools import count

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import (
    current_capacity,
    current_spots,
    guard,
    plan_settings,
    shift_settings,
    store_scenario,
)
from staffing.compare import (
    compare_table,
    daily_difference,
    difference_column,
    format_compare,
    scenario_inputs,
)

# The row labels are whole phrases: give them room rather than cut them off.
LABELS = {"_index": st.column_config.TextColumn(width="medium")}


def save(name: str) -> None:
    if not name.strip():
        raise ValueError("the scenario name must be some text, got an empty name")
    settings, shifts = plan_settings(), shift_settings()
    aht_s = float(st.session_state["aht_s"])
    # Waited for: without it a page may be handed the previous plan while the new one is
    # computed, and a scenario must hold the plan of its own settings.
    with st.spinner("Planning staff and shifts..."):
        plan = current_capacity(wait=True)
    replaced = store_scenario(name, plan, settings=settings, shifts=shifts,
                              airings=len(current_spots()), aht_s=aht_s)
    st.success(f"{'Replaced' if replaced else 'Saved'} {name.strip()!r}.")


def remove(saved: dict) -> None:
    drop = st.multiselect("Remove scenarios", list(saved))
    if drop and st.button("Remove"):
        for key in drop:
            saved.pop(key, None)
        st.rerun()


def difference_chart(daily: pd.DataFrame, first: str) -> None:
    days = pd.DatetimeIndex(daily["day"]).tz_localize(None)
    daily = daily.assign(day=days, label=days.strftime("%a %d/%m"))
    # One day axis for every chart, so a day sits at the same place in each.
    order = list(dict.fromkeys(daily.sort_values("day")["label"]))
    for measure, part in daily.groupby("measure", sort=False):
        bars = alt.Chart(part).mark_bar().encode(
            # Weekday over date on two lines: room for three weeks of days without tilting.
            x=alt.X("label:O", title=None, sort=order, scale=alt.Scale(domain=order),
                    axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')")),
            xOffset=alt.XOffset("scenario:N"),
            y=alt.Y("difference:Q", title=measure),
            color=alt.Color("scenario:N", title=f"Minus {first}"),
            tooltip=[alt.Tooltip("day:T", title="Day", format="%a %d/%m/%Y"),
                     alt.Tooltip("scenario:N", title="Scenario"),
                     alt.Tooltip("difference:Q", title=measure, format="+,.1f")])
        st.altair_chart(bars.properties(height=280, title=f"{measure.split(' (')[0]} per day, "
                                                          f"each scenario minus {first}"),
                        width="stretch")
    st.caption("A day's cost is that of its shifts; training and contract top-ups belong to "
               "no single day. Service level only on days with calls in both scenarios.")


def body() -> None:
    saved = st.session_state["scenarios"]
    free = next(f"Scenario {i}" for i in count(len(saved) + 1) if f"Scenario {i}" not in saved)
    name = st.text_input("Name for the current set-up", value=free)
    if st.button("Save current set-up"):
        save(name)
    if not saved:
        st.info("Save a scenario, change the schedule or the targets, save again, and compare.")
        return
    remove(saved)
    names = list(saved)
    first = names[0]

    st.subheader("Inputs")
    inputs = pd.concat({k: scenario_inputs(v["settings"], v.get("shifts"), v.get("airings"),
                                           aht_s=v.get("aht_s"), window=v.get("window"),
                                           forecast_model=v.get("forecast_model"))["value"]
                        for k, v in saved.items()}, axis=1)
    if st.toggle("Only the inputs that differ", disabled=len(saved) < 2):
        inputs = inputs[inputs.nunique(axis=1) > 1]
    st.dataframe(inputs.rename_axis(None), width="stretch", height="content",
                 column_config=LABELS)

    st.subheader("Cost and service")
    plans = {k: v["plan"] for k, v in saved.items()}
    table = compare_table(plans)
    text = format_compare(table)
    for other in names[1:]:
        column = difference_column(other, first)
        for box, label, good in zip(st.columns(2), ("Total cost", "Service level"),
                                    ("inverse", "normal"), strict=True):
            delta = text.loc[label, column]
            # No difference ("0 EUR") or none known ("-") gets no green or red arrow.
            box.metric(f"{label}, {other}", text.loc[label, other], delta=delta,
                       delta_color=good if delta.startswith(("+", "-")) and delta != "-"
                       else "off")
    st.dataframe(text, width="stretch", height="content", column_config=LABELS)
    st.caption(f"Differences are each scenario minus {first!r}; pts are percentage points. "
               "Costs are all that is paid: temps' shifts, training and contract top-ups, and "
               "the permanent team.")
    st.download_button("Download the comparison (CSV, raw numbers)", table.to_csv().encode(),
                       file_name="comparison.csv", mime="text/csv")

    if len(names) > 1:
        st.subheader("Day by day")
        difference_chart(daily_difference(plans), first)
    else:
        st.info("Save a second scenario to see the differences.")


guard(body)
