"""App responsiveness: the rerun after a spot edit on every page, timed with Streamlit's
AppTest (target: at most 300 ms), on three weeks of the 2009 scenario. Pages that show the plan
show the previous one, marked as updating, while the planning process re-plans the shifts.
"""

import logging
import os
import re
import statistics
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[1] / "app.py")


def page_files() -> list[str]:
    """Every page, in the navigation's order."""
    return re.findall(r'st\.Page\("([^"]+)"', Path(APP).read_text())


def bench_app():
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # no bare-mode chatter
    os.environ["PICCO_PLAN_WAIT_S"] = "0.05"  # as people get it, not as the tests wait
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    medians = {}
    for page in page_files():
        at.switch_page(page).run()
        base = at.session_state["spots"].copy()
        times = []
        for k in range(6):
            extra = pd.DataFrame({"start": [pd.Timestamp("2009-04-22 10:00")
                                            + pd.Timedelta(minutes=7 * k)],
                                  "channel": ["Rai 1"], "grp": [5.0 + k]})
            at.session_state["spots"] = pd.concat([base, extra], ignore_index=True)
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            assert not at.exception
        print(f"rerun after a spot edit, {page.split('/')[-1]}: median "
              f"{statistics.median(times) * 1000:.0f} ms (of {len(times)})")
        medians[page] = statistics.median(times) * 1000
        at.session_state["spots"] = base
    from bench_startup import bench_startup
    from readme import write_block

    start = bench_startup()
    started = ("" if start is None else
               f" After `make run`, the Overview page's title shows in {start['title_s']:.1f} s "
               f"and its figures (the first plan) in {start['figures_s']:.1f} s, in headless "
               "Chromium (median of three starts).")
    slowest = max(medians, key=medians.get)
    write_block("bench-app", f"App: the rerun after a spot edit takes "
                f"{medians['app_pages/forecast_page.py']:.0f} ms on the Forecast page (15 minutes, "
                f"three weeks), {medians['app_pages/staffing_page.py']:.0f} ms on the Staffing "
                "page, which shows the previous plan marked as updating while the planning "
                "process re-plans the shifts (one to three seconds), and at most "
                f"{medians[slowest]:.0f} ms on any page ({Path(slowest).stem.split('_')[0]})."
                f"{started}\n")


if __name__ == "__main__":
    bench_app()
