"""Write a block of measured figures into the README, between its markers."""

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def write_block(name: str, text: str) -> None:
    """Replace what lies between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    body = README.read_text()
    if start not in body or end not in body:
        print(f"README has no {name} markers: not written")
        return
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{text}{end}{tail}")
    print(f"README {name} block updated")
