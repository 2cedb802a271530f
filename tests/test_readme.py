"""The README's worked figures are what the code gives (they are checked, not copied)."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).parents[1] / "README.md"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def staffing_block() -> str:
    text = README.read_text()
    start = text.index("```python\nimport staffing\n") + len("```python\n")
    return text[start:text.index("```", start)]


def checked_lines():
    """(statement, numbers in its end-of-line comment) for every commented expression."""
    source = staffing_block()
    lines = source.splitlines()
    out = []
    for node in ast.parse(source).body:
        comment = lines[node.end_lineno - 1].partition("#")[2]
        out.append((ast.get_source_segment(source, node), node,
                    [float(x) for x in NUMBER.findall(comment)]))
    return out


def test_staffing_examples_give_the_figures_shown():
    namespace: dict = {}
    checked = 0
    for code, node, numbers in checked_lines():
        if isinstance(node, ast.Expr) and numbers:
            value = eval(code, namespace)  # noqa: S307 - the README's own example
            values = np.atleast_1d(np.asarray(value, float)).ravel()
            for got, shown in zip(values, numbers, strict=False):
                decimals = len(str(shown).split(".")[1]) if shown != int(shown) else 0
                assert round(float(got), decimals) == pytest.approx(shown), code
            checked += 1
        else:
            try:
                exec(code, namespace)  # noqa: S102
            except NameError:  # needs data the README does not define (``volume``)
                pass
    assert checked >= 5


def test_readme_counts_the_bad_input_catalogue():
    import sys

    sys.path.insert(0, str(README.parent / "bench"))
    from catalogue import catalogue_counts, catalogue_text

    text = README.read_text()
    block = text.split("<!-- bad-inputs:start -->\n", 1)[1].split("<!-- bad-inputs:end -->")[0]
    assert block == catalogue_text(catalogue_counts()), "run: python bench/catalogue.py"
