"""Campaign: the spot schedule, edited in place or uploaded."""

import altair as alt
import pandas as pd
import streamlit as st

from app_pages._common import TZ, current_spots, editable, guard, read_upload
from forecast import read_spots, validate_spots

st.title("Campaign: spot schedule")
st.caption("Add, move or delete airings; the forecast, staffing and temps follow on the other "
           "pages. Times are local (Europe/Rome); GRP per airing.")


def upload() -> None:
    file = st.file_uploader("Upload a schedule (CSV or Excel: start or date+time, channel, grp)",
                            type=["csv", "xlsx", "xls"])
    if file is not None and st.session_state.get("spots_file") != file.file_id:
        spots = read_upload(file, read_spots)  # raises with row and column
        st.session_state["spots"] = editable(spots)
        st.session_state["spots_file"] = file.file_id
        st.success(f"Loaded {len(spots)} airings from {file.name}.")


guard(upload)

edited = st.data_editor(
    st.session_state["spots"], num_rows="dynamic", width="stretch", height=320,
    key="spots_editor",
    column_config={
        "start": st.column_config.DatetimeColumn("Airing (local time)", format="YYYY-MM-DD HH:mm",
                                                 required=True),
        "channel": st.column_config.TextColumn("Channel", required=True),
        "grp": st.column_config.NumberColumn("GRP", min_value=0.0, step=0.5, format="%.1f"),
    })


def apply_edit() -> None:
    candidate = edited.copy()
    validate_spots(candidate.dropna(how="all"), tz=TZ)  # keeps the last good state on error
    st.session_state["spots"] = candidate.reset_index(drop=True)


guard(apply_edit)


def timeline() -> None:
    spots = current_spots()
    if spots.empty:
        st.info("No airings: the forecast is the baseline alone.")
        return
    frame = pd.DataFrame({"airing": pd.DatetimeIndex(spots["start"]).tz_localize(None),
                          "channel": spots["channel"], "GRP": spots["grp"]})
    chart = alt.Chart(frame).mark_circle(opacity=0.7).encode(
        x=alt.X("airing:T", title="Airing time"),
        y=alt.Y("channel:N", title=None),
        size=alt.Size("GRP:Q", title="GRP", scale=alt.Scale(range=[20, 400])),
        color=alt.Color("channel:N", legend=None),
        tooltip=[alt.Tooltip("airing:T", format="%a %d %b %H:%M"), "channel", "GRP"],
    ).properties(height=180, title=f"{len(frame)} airings, {frame['GRP'].sum():,.0f} GRP")
    st.altair_chart(chart, width="stretch")


guard(timeline)
