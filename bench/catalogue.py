"""The bad-input catalogue's size, as the README states it: cases and classes, by front.

A class is one test function of ``tests/bad_inputs`` (one kind of mistake, or one kind of
messy file read right); its cases are the parametrised instances pytest collects.

    python bench/catalogue.py      # rewrite the README's ``bad-inputs`` block
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTS = {"test_readers.py": "files read", "test_forecast.py": "forecast",
          "test_staffing.py": "staffing", "test_app_uploads.py": "app uploads"}


def catalogue_counts() -> dict[str, tuple[int, int]]:
    """``{front: (cases, classes)}`` as pytest collects them."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", "tests/bad_inputs"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    cases = Counter(i.split("::")[0].rsplit("/", 1)[-1] for i in ids)
    classes = Counter(name.split("::")[0].rsplit("/", 1)[-1]
                      for name in {i.split("[")[0] for i in ids})
    return {FRONTS.get(f, f): (cases[f], classes[f]) for f in sorted(cases)}


def catalogue_text(counts: dict[str, tuple[int, int]]) -> str:
    cases = sum(c for c, _ in counts.values())
    classes = sum(k for _, k in counts.values())
    parts = ", ".join(f"{front} {c} cases in {k} classes" for front, (c, k) in counts.items())
    return (f"The bad-input catalogue (`tests/bad_inputs`) holds {cases} cases in {classes} "
            f"classes ({parts}).\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    from readme import write_block

    write_block("bad-inputs", catalogue_text(catalogue_counts()))
