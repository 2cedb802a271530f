"""Delimited text as spreadsheets save it: its encoding and its field separator.

Excel in Italy saves "CSV (separato da punto e virgola)": semicolons, decimal commas and
Windows (cp1252) text; other tools write UTF-8, with or without a byte-order mark.
"""

from __future__ import annotations

import csv

DELIMITERS = ";,\t|"


def decode_text(data: bytes) -> str:
    r"""Bytes of a text file as text: UTF-8 (with or without BOM), else Windows cp1252.

    UTF-8 is tried first because text that decodes as UTF-8 is almost never cp1252; a few
    bytes cp1252 leaves undefined are read as Latin-1, so every file decodes.

    Examples
    --------
    >>> decode_text("\ufeffcittà".encode("utf-8")), decode_text("città".encode("cp1252"))
    ('città', 'città')
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    r"""The field separator of delimited text: ``;``, ``,``, tab or ``|``.

    The separator that splits the header into the most fields, and most of the following
    lines into as many, wins; `csv.Sniffer` decides otherwise, and a single column is ``,``.

    Examples
    --------
    >>> sniff_delimiter("data;ora;canale;grp\n20/04/2009;20:30;Rai 1;8,5\n")
    ';'
    >>> sniff_delimiter('start,channel,grp\n2009-04-20 20:30,"Rai 1",8.5\n')
    ','
    """
    lines = [line for line in text.splitlines() if line.strip()][:50]
    if not lines:
        return ","
    best, best_fields = None, 1
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:  # e.g. a NUL byte: not this separator's fault, try the others
            continue
        header, rest = counts[0], counts[1:]
        consistent = not rest or sum(c == header for c in rest) >= 0.8 * len(rest)
        if header > best_fields and consistent:
            best, best_fields = delimiter, header
    if best is not None:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","
