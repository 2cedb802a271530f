"""End to end in a real headless Chromium: start the app, read a chart, change a target.

Runs when Debian's ``chromium`` and the ``playwright`` package are installed (``.ci/run``
installs Chromium); otherwise skipped with the reason. With PICCO_UPDATE_SCREENSHOT=1 it
refreshes the README screenshot.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
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


def metric_value(page, label: str) -> float:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    text = box.locator('[data-testid="stMetricValue"]').inner_text()
    return float(text.replace(",", "").rstrip("%"))


def test_plan_in_a_real_browser(server, tmp_path):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(server, timeout=120_000)
        # The page shell renders before the script: wait for the chart itself.
        chart = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
        page.wait_for_selector(chart, timeout=120_000)
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
        browser.close()
