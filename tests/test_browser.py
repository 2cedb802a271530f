"""End to end in a real headless Chromium: start the app, read a chart, change a target, edit
the schedule, upload an Italian spreadsheet and open every page.

Runs when Debian's ``chromium`` and the ``playwright`` package are installed (``.ci/run``
installs Chromium); otherwise skipped with the reason. With PICCO_UPDATE_SCREENSHOT=1 it
refreshes the README screenshot.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine "
                                 "(apt-get install chromium): browser test skipped"),
              pytest.mark.slow]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def opened(server: str, path: str, ready: str, height: int = 1000):
    """A headless Chromium page at ``server + path``, once ``ready`` (a selector) shows."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": height})
        page.goto(server + path, timeout=120_000)
        page.wait_for_selector(ready, timeout=120_000)
        yield page
        browser.close()


def metric_value(page, label: str) -> float:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    text = box.locator('[data-testid="stMetricValue"]').inner_text()
    return float(text.replace(",", "").rstrip("%"))


ERRORS = '[data-testid="stAlertContentError"], [data-testid="stException"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page) -> None:
    """Wait for the script run an action started (if it started) to finish, and stay finished."""
    try:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]',
                               timeout=1500)
    except playwright.TimeoutError:
        pass  # already over, or nothing to run
    quiet = 0
    while quiet < 3:  # a rerun may follow the first (a widget committing on blur)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.wait_for_timeout(200)
        quiet = quiet + 1 if page.locator(IDLE).count() else 0


def wait_for_metric(page, label: str, value: float) -> None:
    """Wait until a metric shows ``value``; on timeout, fail with what it shows."""
    try:
        page.wait_for_function(
            """([label, value]) => {
                const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
                    .find(b => b.innerText.includes(label));
                if (!box) return false;
                const v = box.querySelector('[data-testid="stMetricValue"]').innerText;
                return Math.abs(parseFloat(v.replace(/,/g, '')) - value) < 1e-6;
            }""", arg=[label, value], timeout=30_000)
    except playwright.TimeoutError:
        raise AssertionError(f"{label} shows {metric_value(page, label)}, expected {value}; "
                             f"errors: {page.locator(ERRORS).all_inner_texts()}") from None


def edit_cell(page, row: int, value: str) -> None:
    """Type into the last column (GRP) of the editor's ``row`` (0 = first), as a planner does."""
    grid = page.locator('[data-testid="data-grid-canvas"]').bounding_box()
    header_px = row_px = 35  # the editor's default row height
    page.mouse.dblclick(grid["x"] + grid["width"] - 40,
                        grid["y"] + header_px + row_px * row + row_px / 2)
    cell = page.locator("#portal .gdg-input")
    cell.wait_for(timeout=10_000)
    cell.fill(value)
    cell.press("Enter")
    cell.wait_for(state="detached", timeout=10_000)


def page_titles() -> list[str]:
    """The navigation's page titles, as app.py lists them."""
    return re.findall(r'st\.Page\([^)]*?title="([^"]+)"', (ROOT / "app.py").read_text(), re.S)


def open_every_page(page) -> None:
    for title in page_titles():
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title,
                                                                 exact=True).click()
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
        settle(page)
        errors = page.locator(ERRORS).all_inner_texts()
        assert not errors, f"{title}: {errors}"


def set_date(page, label: str, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into a sidebar date input, segment by segment."""
    field = page.locator('[data-testid="stDateInput"]', has_text=label)
    value = field.locator('input[type="date"]')
    for _ in range(3):  # typing while the sidebar redraws can go nowhere: type it again
        settle(page)
        field.locator(f'[aria-label="year, {label}"]').click()
        page.keyboard.type(day.replace("-", ""))  # each segment moves on to the next when full
        page.keyboard.press("Tab")
        settle(page)
        if value.input_value() == day:
            break
    assert value.input_value() == day


def test_plan_in_a_real_browser(server, tmp_path):
    # The page shell renders before the script: wait for the chart itself (on Campaign:
    # Overview, the first page, has no chart).
    chart = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
    with opened(server, "/campaign", chart, 900) as page:
        page.get_by_role("link", name="Forecast").click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
        page.wait_for_selector(chart, timeout=120_000)
        page.wait_for_timeout(1500)  # let the charts finish drawing for the screenshot
        shot = tmp_path / "screenshot.png"
        page.screenshot(path=str(shot))
        if os.environ.get("PICCO_UPDATE_SCREENSHOT"):  # refresh the README picture
            shutil.copy(shot, ROOT / "docs" / "screenshot.png")

        page.get_by_role("link", name="Staffing").click()
        page.wait_for_selector('text=Peak agents on the phones', timeout=120_000)
        page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=120_000)
        before = metric_value(page, "Peak agents on the phones")
        slider = page.get_by_role("slider").first
        slider.focus()
        for _ in range(10):  # 80 % -> 90 %
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """(before) => {
                const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
                    .find(b => b.innerText.includes('Peak agents on the phones'));
                if (!box) return false;
                const v = box.querySelector('[data-testid="stMetricValue"]').innerText;
                return parseFloat(v.replace(/,/g, '')) > before;
            }""", arg=before, timeout=120_000)
        assert metric_value(page, "Peak agents on the phones") > before

        page.get_by_role("link", name="Campaign").click()
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]', timeout=120_000)
        bad = tmp_path / "bad.csv"
        bad.write_text("start,channel,grp\n2009-04-20 20:30,Rai 1,-3\n")
        page.locator('input[type="file"]').set_input_files(str(bad))
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
        assert "column grp" in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
        page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)  # still working


ITALIAN_CSV = ("sep=;\r\n"
               "Data;Ora;Canale;GRP;Note\r\n"
               "04/05/2009;20.30;Rai 1;8,5;prima serata\r\n"
               "04/05/2009;21:05;RAI 2;2,5;\r\n"
               "05/05/2009;13:30;Rai 3;1,25;telegiornale è\r\n"
               ";;;;\r\n")


def test_a_planners_day_in_a_real_browser(server, tmp_path):
    with opened(server, "/campaign", '[data-testid="data-grid-canvas"]') as page:
        settle(page)
        grp = metric_value(page, "GRP")
        # Three edits in a row, each on the table the editor was given: all three count.
        for row, before, after in ((1, 2.0, 11.0), (0, 3.0, 13.0), (2, 2.0, 15.0)):
            edit_cell(page, row, f"{after:g}")
            grp += after - before
            wait_for_metric(page, "GRP", grp)
        assert not page.locator(ERRORS).all_inner_texts()

        # An Italian Excel CSV: "sep=;" line, semicolons, decimal commas, day-first dates.
        plan = tmp_path / "palinsesto.csv"
        plan.write_bytes(ITALIAN_CSV.encode("cp1252"))
        page.locator('input[type="file"]').set_input_files(str(plan))
        page.wait_for_selector('text=Loaded 3 airings from palinsesto.csv', timeout=60_000)
        settle(page)
        wait_for_metric(page, "Airings", 3)
        wait_for_metric(page, "GRP", 12.25)
        page.locator('[data-testid="stSelectbox"]', has_text="Day").click()
        page.wait_for_selector('[role="option"]', timeout=10_000)
        days = page.locator('[role="option"]').all_inner_texts()
        page.keyboard.press("Escape")
        # 04/05/2009 is Monday 4 May, never 5 April.
        assert days == ["All days", "Mon 04/05/2009 (2 airings)", "Tue 05/05/2009 (1 airing)"]
        assert not page.locator(ERRORS).all_inner_texts()

        open_every_page(page)
        set_date(page, "To (inclusive)", "2009-05-04")  # "To" first: never an empty window
        set_date(page, "From", "2009-05-04")
        open_every_page(page)


def _open_hours_log(path: Path) -> None:
    """A Rome line's log of open hours as Excel writes it: no rows on Easter Monday 2024."""
    import numpy as np
    import pandas as pd

    idx = pd.date_range("2024-02-05", "2024-04-21", freq="15min", inclusive="left")
    idx = idx[(idx.hour >= 8) & (idx.hour < 20) & (idx.day_of_week < 6)]
    idx = idx[idx.normalize() != pd.Timestamp("2024-04-01")]
    rate = 40 * (1 + np.exp(-0.5 * ((idx.hour + idx.minute / 60 - 11) / 1.5) ** 2))
    calls = np.random.default_rng(5).poisson(rate * np.where(idx.day_of_week == 5, 0.5, 1.0))
    rows = [f"{t:%d/%m/%Y %H:%M};{c}" for t, c in zip(idx, calls, strict=True)]
    path.write_bytes(("sep=;\r\ninterval_start;calls\r\n" + "\r\n".join(rows) + "\r\n")
                     .encode("cp1252"))


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title,
                                                             exact=True).click()
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
    settle(page)


def test_a_fit_on_my_own_history_survives_a_visit_to_other_pages(server, tmp_path):
    log = tmp_path / "chiamate.csv"
    _open_hours_log(log)
    with opened(server, "/model", '[data-testid="stMainBlockContainer"] h1', 1600) as page:
        settle(page)
        page.locator('[data-testid="stFileUploader"]', has_text="History (interval_start, calls)") \
            .locator('input[type="file"]').set_input_files(str(log))
        settle(page)
        page.locator('[data-testid="stSelectbox"]', has_text="Dates in the file").click()
        page.get_by_role("option", name="day first (20/04/2009)").click()
        settle(page)
        page.get_by_role("button", name="Fit and backtest").click()
        page.wait_for_selector('text=fitted on chiamate.csv', timeout=120_000)
        settle(page)
        assert not page.locator(ERRORS).all_inner_texts()

        # The window moved to the days after the history: 25 April and 1 May lie in it,
        # holidays the line never showed open; it kept no record on Easter Monday.
        _go(page, "Forecast")
        warned = page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
        assert any("2024-04-25" in w and "2024-05-01" in w for w in warned), warned
        open_all = metric_value(page, "Calls in the window")

        # Back on the Model page the file is still there: close the holidays and refit.
        _go(page, "Model")
        assert page.get_by_text("Using chiamate.csv, uploaded earlier").count()
        page.locator('[data-testid="stSelectbox"]', has_text="Public holidays").click()
        page.get_by_role("option", name="closed", exact=True).click()
        settle(page)
        page.get_by_role("button", name="Fit and backtest").click()
        settle(page)
        assert not page.locator(ERRORS).all_inner_texts()
        _go(page, "Forecast")
        assert not page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
        assert metric_value(page, "Calls in the window") < open_all - 1000
        open_every_page(page)
