"""Campaign: the spot schedule, edited in place or uploaded, and optimised (`optimise_panel`).

The editor is given one stable table of rows (``spots_rows``) and reports its changes as
widget state (``st.session_state["spots_editor"]``: ``edited_rows``, ``added_rows``,
``deleted_rows``, all relative to that table). Each run the schedule is rebuilt from the
table and all the changes, checked, and stored in ``st.session_state["spots"]`` (naive
wall-clock ``start`` in the model's zone, ``channel``, ``grp``) for the other pages. Feeding the
edited table back to the editor would give it new data and drop its change history, which
loses every second edit.
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from app_pages._common import current_spots, dates_choice, editable, guard, read_upload, zone
from app_pages.optimise_panel import panel
from forecast import read_spots
from forecast.spots import (
    ROW_TITLES,
    airing_times,
    channel_warnings,
    edit_rows,
    schedule_rows,
    spots_from_rows,
    tidy_rows,
)

EDITOR = "spots_editor"  # the editor's widget state: its changes to the rows it was given
ROWS = "spots_rows"  # the rows given to the editor; replaced only on upload, day change, tidy
ROWS_VERSION = "spots_rows_version"  # bumped with ROWS, so the editor starts afresh
SHOWN = "spots_rows_shown"  # positions in ROWS of the rows the editor shows (the day's)
EDITED = "spots_rows_edited"  # ROWS with the editor's changes, as of the last run
STORED = "spots_stored"  # the schedule this page last stored in st.session_state["spots"]
DAY = "spots_day"
ALL_DAYS = "All days"

st.caption("Add, move or delete airings; the forecast, staffing and temps follow on the other "
           f"pages. Times are local ({zone()}), day first and 24-hour (20/04/2009 20:30); "
           "GRP per airing, 0 for an unrated one.")


def set_rows(rows: pd.DataFrame) -> None:
    st.session_state[ROWS] = rows
    # A new version gives the editor new data even when the rows are equal to ones it had
    # before, so it never applies old changes to them.
    st.session_state[ROWS_VERSION] = st.session_state.get(ROWS_VERSION, 0) + 1


def pending() -> dict:
    state = st.session_state.get(EDITOR) or {}
    return {"edited_rows": state.get("edited_rows") or {},
            "added_rows": state.get("added_rows") or [],
            "deleted_rows": state.get("deleted_rows") or []}


def edited_rows() -> pd.DataFrame:
    """ROWS with all the editor's changes; its positions are of the shown (day's) rows."""
    changes, shown = pending(), st.session_state.get(SHOWN, [])
    inside = range(len(shown))
    return edit_rows(st.session_state[ROWS],
                     {shown[int(p)]: c for p, c in changes["edited_rows"].items() if int(p) in inside},
                     changes["added_rows"],
                     [shown[int(p)] for p in changes["deleted_rows"] if int(p) in inside])


def fold() -> None:
    """Make the edited rows the editor's new table: sorted by airing, numbered again."""
    changes = pending()
    if ROWS in st.session_state and any(changes.values()):
        set_rows(tidy_rows(edited_rows()))


def sync_rows() -> None:
    """Rows from the schedule when it is new to this page; after a page change, the last edits."""
    s = st.session_state
    spots = s["spots"]
    if ROWS not in s or STORED not in s or not spots.equals(s[STORED]):
        set_rows(schedule_rows(spots, tz=zone()))  # first visit, or another page set a schedule
        s[STORED], s[EDITED] = spots, None
        s[DAY] = ALL_DAYS
    elif EDITOR not in s and s.get(EDITED) is not None:
        # Streamlit forgets a widget's state while another page is shown: start from the rows
        # as they were last edited (invalid ones too, so nothing typed is lost).
        set_rows(tidy_rows(s[EDITED]))
        s[EDITED] = None


def upload() -> None:
    dates_choice()
    file = st.file_uploader("Upload a schedule (CSV or Excel: start, or date and time; channel; "
                            "grp. Italian Excel CSV files too: Data;Ora;Canale;GRP)",
                            type=["csv", "txt", "xlsx", "xls"])
    if file is not None and st.session_state.get("spots_file") != file.file_id:
        try:
            spots = read_upload(file, read_spots)  # raises with row and column
        except ValueError as exc:  # shown while the file stays chosen
            st.error(f"{file.name} was not loaded; the schedule below is unchanged.\n\n"
                     + "\n".join(f"- {line}" for line in str(exc).splitlines()))
            return
        st.session_state["spots"] = editable(spots)
        st.session_state["spots_file"] = file.file_id
        st.success(f"Loaded {len(spots)} airings from {file.name}.")


def problems(exc: ValueError) -> None:
    st.error("These changes are not used until they are fixed (the other pages keep the last "
             "valid schedule):\n\n" + "\n".join(f"- {line}" for line in str(exc).splitlines()))


def chosen_day():
    day = st.session_state.get(DAY, ALL_DAYS)
    return None if day == ALL_DAYS else day


def day_label(day) -> str:
    return day.strftime("%a %d/%m/%Y")


def editor() -> None:
    s = st.session_state
    rows = s[ROWS]
    times = airing_times(rows["airing"])
    counts = times.dt.date.value_counts()
    days = sorted(counts.index)
    if s.get(DAY, ALL_DAYS) != ALL_DAYS and s[DAY] not in days:
        days = sorted([*days, s[DAY]])  # a day emptied by edits stays selectable
    choice = st.selectbox("Day", [ALL_DAYS, *days], key=DAY, on_change=fold,
                          format_func=lambda d: d if d == ALL_DAYS else
                          f"{day_label(d)} ({counts.get(d, 0)} airing"
                          f"{'' if counts.get(d, 0) == 1 else 's'})",
                          help="Show one day's airings; changes to the other days are kept.")
    day = None if choice == ALL_DAYS else choice
    # Rows whose airing cannot be read show on every day, so they can be put right.
    mask = np.ones(len(rows), bool) if day is None else (times.isna() | (times.dt.date == day)).to_numpy()
    shown = np.flatnonzero(mask)
    s[SHOWN] = shown.tolist()
    view = rows.iloc[shown].reset_index(drop=True)
    view.index = pd.RangeIndex(len(view), name=f"version {s[ROWS_VERSION]}")
    st.data_editor(
        view, key=EDITOR, num_rows="dynamic", width="stretch", height=360, hide_index=True,
        placeholder="",
        column_order=["row", "day", "airing", "channel", "grp"],
        column_config={
            "row": st.column_config.NumberColumn(ROW_TITLES["row"], disabled=True, format="%d",
                                                 width="small",
                                                 help="How messages name the row; new rows get "
                                                      "a number once sorted"),
            "day": st.column_config.TextColumn(ROW_TITLES["day"], disabled=True, width="small",
                                               help="Weekday of the airing as last sorted: after "
                                                    "moving an airing, sort or change the day "
                                                    "shown to refresh it"),
            "airing": st.column_config.TextColumn(
                ROW_TITLES["airing"], width="medium",
                help=f"Local time ({zone()}), day first and 24-hour: DD/MM/YYYY HH:mm"),
            "channel": st.column_config.TextColumn(ROW_TITLES["channel"], width="medium"),
            # No minimum: a typed -5 must reach the check (and be refused), not lose its sign.
            "grp": st.column_config.NumberColumn(
                ROW_TITLES["grp"], format="%.2f",
                help="GRP of the airing; 0 for an unrated airing (too small to measure). New "
                     "rows need one: a blank GRP is refused, never taken as 1."),
        })


def apply() -> None:
    s = st.session_state
    table = edited_rows()
    s[EDITED] = table
    try:
        spots = spots_from_rows(table, tz=zone())
    except ValueError as exc:
        problems(exc)
    else:
        schedule = editable(spots)
        if not schedule.equals(s["spots"]):
            s["spots"] = schedule
        s[STORED] = s["spots"]
    model = s.get("forecaster")
    for warning in channel_warnings(table, getattr(model, "response", None)):
        st.warning(warning)
    changes = pending()
    added = sum(any(v not in (None, "") for v in row.values()) for row in changes["added_rows"])
    if changes["edited_rows"] or added or changes["deleted_rows"]:
        st.caption(f"{len(changes['edited_rows'])} row(s) edited, {added} added, "
                   f"{len(changes['deleted_rows'])} deleted since the table was last sorted. "
                   "Valid changes are already used by the other pages.")
        st.button("Sort by airing and number the rows again", on_click=fold)


def timeline() -> None:
    spots = current_spots()
    a, b, c = st.columns(3)
    a.metric("Airings", f"{len(spots):,}")
    b.metric("GRP", f"{spots['grp'].fillna(0).sum():,.2f}".rstrip("0").rstrip("."))
    c.metric("Channels", f"{spots['channel'].nunique():,}")
    day = chosen_day()
    local = pd.DatetimeIndex(spots["start"]).tz_convert(zone()).tz_localize(None)
    if day is not None:
        spots, local = spots[local.date == day], local[local.date == day]
    if spots.empty:
        st.info("No airings: the forecast is the baseline alone." if day is None else
                f"No airings on {day_label(day)}.")
        return
    frame = pd.DataFrame({"airing": local, "channel": spots["channel"].to_numpy(),
                          "GRP": spots["grp"].to_numpy()})
    title = f"{len(frame)} airings, {frame['GRP'].sum():,.0f} GRP" + (
        "" if day is None else f" on {day_label(day)}")
    chart = alt.Chart(frame).mark_circle(opacity=0.7).encode(
        x=alt.X("airing:T", title="Airing time"),
        y=alt.Y("channel:N", title=None),
        size=alt.Size("GRP:Q", title="GRP", scale=alt.Scale(range=[20, 400])),
        color=alt.Color("channel:N", legend=None),
        tooltip=[alt.Tooltip("airing:T", format="%a %d/%m/%Y %H:%M"), "channel", "GRP"],
    ).properties(height=180, title=title)
    st.altair_chart(chart, width="stretch")


guard(upload)
sync_rows()
editor()
apply()
guard(timeline)
guard(panel)
