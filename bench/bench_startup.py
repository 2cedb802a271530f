"""First content after ``make run`` (median of three): seconds from starting Streamlit to the Overview page's
title in headless Chromium, and to its first figure (the plan computed in the background).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_startup(runs: int = 3) -> dict | None:
    """The median of ``runs`` start-ups (the first after a change also compiles bytecode)."""
    import statistics

    times = [_startup_once() for _ in range(runs)]
    if times[0] is None:
        return None
    median = {k: statistics.median(t[k] for t in times) for k in times[0]}
    print(f"start-up, median of {runs}: title {median['title_s']:.1f} s, "
          f"figures {median['figures_s']:.1f} s")
    return median


def _startup_once() -> dict | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("startup: no chromium or playwright, skipped")
        return None
    port = _port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    env.pop("PICCO_PLAN_WAIT_S", None)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}", timeout=2000)
                    break
                except Exception:  # the server is not listening yet
                    if time.perf_counter() - start > 60:
                        raise
                    time.sleep(0.1)
            page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
            title = time.perf_counter() - start
            page.get_by_text("Calls in the window").wait_for(timeout=120_000)
            figures = time.perf_counter() - start
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"start-up: Overview title after {title:.1f} s, its figures after {figures:.1f} s")
    return {"title_s": title, "figures_s": figures}


if __name__ == "__main__":
    bench_startup()
