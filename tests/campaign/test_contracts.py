import pathlib
import re

ROOT = pathlib.Path(__file__).parents[2]
IMPORTS_CAMPAIGN = re.compile(r"^\s*(?:from|import)\s+campaign\b", re.MULTILINE)


def test_forecast_and_staffing_do_not_import_campaign():
    for pkg in ("forecast", "staffing", "tabular"):
        for path in (ROOT / pkg).rglob("*.py"):
            assert not IMPORTS_CAMPAIGN.search(path.read_text()), path


def test_campaign_has_no_ui():
    for path in (ROOT / "campaign").rglob("*.py"):
        assert "streamlit" not in path.read_text(), path
