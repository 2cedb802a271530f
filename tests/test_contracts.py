"""forecast and staffing never import each other; their column names must agree."""

import forecast.schema as F
import staffing.schema as S


def test_shared_column_names_agree():
    for name in ("INDEX", "CALLS", "AHT_S", "MEAN"):
        assert getattr(F, name) == getattr(S, name)
    for q in (0.05, 0.1, 0.5, 0.9, 0.975):
        assert F.quantile_column(q) == S.quantile_column(q)


def test_packages_do_not_import_each_other():
    import pathlib

    root = pathlib.Path(__file__).parents[1]
    for pkg, other in (("forecast", "staffing"), ("staffing", "forecast")):
        for path in (root / pkg).rglob("*.py"):
            text = path.read_text()
            assert f"import {other}" not in text and f"from {other}" not in text, path
            assert "streamlit" not in text, path


def test_tabular_imports_neither_package_and_uses_the_contract_names():
    import pathlib

    import tabular.headers as T

    root = pathlib.Path(__file__).parents[1]
    for path in (root / "tabular").rglob("*.py"):
        text = path.read_text()
        for other in ("forecast", "staffing", "streamlit"):
            assert f"import {other}" not in text and f"from {other}" not in text, path
    for name in ("INDEX", "CALLS", "AHT_S"):
        assert getattr(T, name) == getattr(F, name) == getattr(S, name)
