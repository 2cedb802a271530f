"""Campaign: the "Optimise schedule" panel.

Reads the constraints, hands the current model, schedule, window and plan settings to
`campaign.optimise_schedule` in a worker process (`app_pages.planning.optimise`), shows
its progress while the page stays usable, then the proposal: the comparison of both plans,
the bound, the moves and the schedule. Accepting it replaces the session's schedule as an
upload does (the previous one is kept and can be restored); it can also be saved as a
scenario for the Compare page.
"""

from __future__ import annotations

import time
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import streamlit as st

from app_pages._common import (
    current_spots,
    editable,
    plan_settings,
    shift_settings,
    store_scenario,
    worker_process,
    zone,
)
from app_pages.planning import optimise
from campaign import break_slots
from staffing.compare import format_compare

JOB = "optimise_job"  # the running proposal: its future and what it was asked for
PROPOSAL = "optimise_proposal"  # the last proposal: result and the inputs it was made from
FAILED = "optimise_error"  # why the last run gave no proposal
PREVIOUS = "spots_before_optimised"  # the schedule an accepted proposal replaced
OBJECTIVES = {"cost": "Lowest staff cost", "lost_calls": "Fewest lost calls (same staff)"}
# The optimiser's settings as the panel labels them, for its messages.
FIELDS = {"max_per_day_channel": "Max airings per day and channel",
          "grp_tolerance": "GRP tolerance", "reach_tolerance": "Reach tolerance",
          "time_limit_s": "Time limit"}
LABELS = {"_index": st.column_config.TextColumn(width="medium")}


@st.cache_resource(show_spinner=False)
def _optimiser():
    """One optimiser process for every session, apart from the planning one."""
    return worker_process(optimise, None, None, None, None, None, 0.0, {}, {}, {})


def _airing_label(start: pd.Timestamp, channel: str, grp: float) -> str:
    return f"{channel} {start:%a %d/%m/%Y %H:%M} ({grp:g} GRP)"


def _window() -> tuple[pd.Timestamp, pd.Timestamp]:
    first = pd.Timestamp(st.session_state["window_start"])
    last = pd.Timestamp(st.session_state["window_end"])
    if last < first:
        raise ValueError("the planning window must end after it starts")
    return first, last


def _in_window(spots: pd.DataFrame) -> dict:
    """Airings of the window by label (a break's airings share one), for the fixed list."""
    first, last = _window()
    local = pd.DatetimeIndex(spots["start"]).tz_convert(zone())
    days = local.tz_localize(None).normalize()
    inside = (days >= first) & (days <= last)
    return {_airing_label(t, c, g): (t, c) for t, c, g in
            zip(local[inside], spots["channel"][inside], spots["grp"].fillna(0)[inside],
                strict=True)}


def _blackout(first: pd.Timestamp, last: pd.Timestamp):
    s = st.session_state
    if not s["opt_blackout"]:
        return None
    lo, hi = s["opt_blackout_from"], s["opt_blackout_to"]
    midnight = hi == pd.Timestamp("00:00").time()  # to the end of the day
    if not (hi > lo or midnight):
        raise ValueError(f"Blackout hours: 'to' must be after 'from' (00:00: midnight), got "
                         f"{lo:%H:%M} to {hi:%H:%M}")
    return [(pd.Timestamp.combine(d.date(), lo),
             pd.Timestamp.combine(d.date(), hi) + pd.Timedelta(days=int(midnight)))
            for d in pd.date_range(first, last)]


def _constraints(fixed: dict) -> dict:
    s = st.session_state
    first, last = _window()
    chosen = [fixed[k] for k in s["opt_fixed"] if k in fixed]
    return dict(objective=s["opt_objective"], grp_tolerance=s["opt_grp_pct"] / 100,
                reach_tolerance=s["opt_reach_pct"] / 100,
                max_per_day_channel=(None if s["opt_max_per_day"] is None
                                     else int(s["opt_max_per_day"])),
                fixed=(pd.DataFrame(chosen, columns=["start", "channel"]) if chosen else None),
                blackout=_blackout(first, last), time_limit_s=float(s["opt_time_limit_s"]))


def start(fixed: dict) -> None:
    """Send the current model, schedule, window and settings to the optimiser process."""
    s = st.session_state
    spots = current_spots()
    first, last = _window()
    constraints = _constraints(fixed)
    candidates = break_slots(spots, pd.date_range(first, last), tz=zone())
    settings, shifts, aht_s = plan_settings(), shift_settings(), float(s["aht_s"])
    args = (s["forecaster"].to_dict(), spots, candidates, first, last + pd.Timedelta(days=1),
            aht_s, settings, shifts, constraints)
    try:
        job = _optimiser().submit(optimise, *args)
    except BrokenProcessPool:  # its worker died (a previous run ran out of memory?)
        _optimiser.clear()
        job = _optimiser().submit(optimise, *args)
    s.pop(FAILED, None)
    s[JOB] = {"future": job, "started": time.monotonic(), "limit_s": constraints["time_limit_s"],
              "spots": s["spots"], "settings": settings, "shifts": shifts, "aht_s": aht_s,
              "objective": constraints["objective"], "window": (first.date(), last.date())}


def run() -> None:
    """The button's callback: the job starts before the page is drawn, which shows it running."""
    try:
        start(_in_window(current_spots()))
    except ValueError as exc:
        st.session_state[FAILED] = f"No proposal: {refused(exc)}"


def refused(exc: BaseException) -> str:
    """The optimiser's message with its settings named as the panel labels them."""
    text = str(exc)
    for name, label in FIELDS.items():
        text = text.replace(name, f"**{label}**")
    return text


def collect() -> None:
    """Keep a finished run's proposal, or why there is none."""
    s = st.session_state
    job = s.pop(JOB)
    try:
        result = job["future"].result()
    except ValueError as exc:
        s[FAILED] = f"No proposal: {refused(exc)}"
    except BrokenProcessPool:
        s[FAILED] = ("The optimiser's process ended before it had a proposal (out of memory?). "
                     "Run it again: a new process is started.")
    except Exception as exc:  # noqa: BLE001  (a crashed worker must not break the page)
        s[FAILED] = f"The optimiser stopped without a proposal: {exc!r}"
    else:
        s[PROPOSAL] = {**{k: v for k, v in job.items() if k != "future"}, "result": result}


@st.fragment(run_every=0.5)
def progress(job: dict) -> None:
    if job["future"].done():
        st.rerun(scope="app")
    elapsed = time.monotonic() - job["started"]
    if not job["future"].running():
        st.progress(0.0, text="Waiting for the optimiser: another proposal is being computed.")
        return
    st.progress(min(elapsed / max(job["limit_s"], 1.0), 0.99),
                text=f"Optimising the schedule: {elapsed:.0f} s of at most about "
                     f"{job['limit_s']:.0f} s. The other pages can be used meanwhile.")


def accept() -> None:
    s = st.session_state
    s[PREVIOUS] = s["spots"]
    s["spots"] = editable(s[PROPOSAL]["result"].schedule)


def restore() -> None:
    s = st.session_state
    s["spots"] = s.pop(PREVIOUS)


def save(name: str) -> None:
    p = st.session_state[PROPOSAL]
    replaced = store_scenario(name, p["result"].after, settings=p["settings"],
                              shifts=p["shifts"], airings=len(p["result"].schedule),
                              aht_s=p["aht_s"], window=p["window"])
    st.success(f"{'Replaced' if replaced else 'Saved'} {name.strip()!r}: compare it on the "
               "Compare page with the current set-up.")


def settings_form(fixed: dict) -> None:
    s = st.session_state
    # Defaults and values kept across pages: `_common.init_state` (keys opt_*).
    s["opt_fixed"] = [k for k in s["opt_fixed"] if k in fixed]  # airings still in the window
    a, b, c = st.columns(3)
    a.radio("Objective", list(OBJECTIVES), key="opt_objective", format_func=OBJECTIVES.get,
            help="Fewest lost calls keeps the current plan's roster and moves the airings to "
                 "where it has agents to answer")
    a.number_input("Time limit (s)", 5, 600, step=5, key="opt_time_limit_s",
                   help="For the whole run, both capacity plans included")
    b.number_input("GRP tolerance (%)", 0.0, 99.0, step=1.0, key="opt_grp_pct",
                   help="Each channel's GRP per week stays within this share of the schedule's")
    b.number_input("Reach tolerance (%)", 0.0, 99.0, step=1.0, key="opt_reach_pct",
                   help="The calls the campaign drives stay within this share of the schedule's")
    c.number_input("Max airings per day and channel", min_value=0, value=None, step=1,
                   key="opt_max_per_day", placeholder="no cap", help="Blank: no cap")
    c.checkbox("Blackout hours every day", key="opt_blackout",
               help="No airing is booked between these times on any day of the window")
    f, t = c.columns(2)
    f.time_input("From", key="opt_blackout_from", disabled=not s["opt_blackout"], step=900)
    t.time_input("To", key="opt_blackout_to", disabled=not s["opt_blackout"], step=900,
                 help="00:00: to midnight")
    st.multiselect("Fixed airings (stay where they are)", list(fixed), key="opt_fixed",
                   placeholder="none")


def proposal() -> None:
    s = st.session_state
    p = s[PROPOSAL]
    r = p["result"]
    first, last = p["window"]
    st.subheader(f"Proposal ({OBJECTIVES[p['objective']].lower()}, {first:%d/%m}-{last:%d/%m/%Y}): "
                 f"{len(r.moves)} change(s), {r.seconds:.0f} s")
    if not p["spots"].equals(s["spots"]) and not editable(r.schedule).equals(s["spots"]):
        st.warning("The schedule has changed since this proposal was made; accepting it "
                   "replaces those changes (the current schedule can then be restored).")
    for note in r.notes:
        st.info(note)
    st.dataframe(format_compare(r.comparison), width="stretch", height="content",
                 column_config=LABELS)
    st.caption(r.bound.text())
    calls = r.checks.get("campaign_calls")
    if calls:
        st.caption(f"Calls the campaign drives: original {calls['original']:,.0f}, proposed "
                   f"{calls['proposed']:,.0f} (allowed {calls['low']:,.0f}-{calls['high']:,.0f}).")
    moves, schedule = st.tabs(["Moves", "Proposed schedule"])
    moves.text("\n".join(r.moves["text"]) if len(r.moves) else "No changes.")
    schedule.dataframe(editable(r.schedule), width="stretch", hide_index=True)
    a, b = st.columns(2)
    a.button("Accept the proposed schedule", on_click=accept, type="primary",
             help="It replaces the schedule in the editor; the current one is kept")
    name = b.text_input("Scenario name", value=f"Optimised ({OBJECTIVES[p['objective']].lower()})")
    if b.button("Save as a scenario"):
        try:
            save(name)
        except ValueError as exc:
            st.error(f"Not saved: {exc}")


def panel() -> None:
    s = st.session_state
    busy = JOB in s and not s[JOB]["future"].done()
    if JOB in s and not busy:
        collect()
    with st.expander("Optimise schedule", expanded=busy or PROPOSAL in s or FAILED in s
                     or PREVIOUS in s):
        st.caption("Moves the airings among the schedule's break times on every day of the "
                   "planning window so that the line needs fewer staff (or loses fewer calls), "
                   "keeping each channel's GRP per week and the calls the campaign drives. "
                   "Uses the model, the window and the Staffing and Temporary staff settings.")
        fixed = _in_window(current_spots())
        settings_form(fixed)
        st.button("Optimise schedule", disabled=busy, type="primary", on_click=run)
        if busy:
            progress(s[JOB])
        if FAILED in s:
            st.error(s[FAILED])
        if PREVIOUS in s:
            st.button("Restore the previous schedule", on_click=restore,
                      help="The schedule in use before the proposal was accepted")
        if PROPOSAL in s:
            proposal()
