"""Planners' spreadsheet files, read and written the way people keep them.

Shared by `forecast` and `staffing` (it imports neither). Reading: CSV separated by
``;``, ``,``, tab or ``|``, UTF-8 with or without BOM or Windows cp1252, decimal commas,
English and Italian headers, and Excel workbooks told by their content (`read_table`);
numeric dates day first or month first as the time zone's country writes them, or as
asked (`parse_times`, `read_times`). Writing: whole files or none (`atomic_path`).
"""

from .cells import as_text, cell_text
from .dates import join_date_time, numeric_dates_to_iso
from .headers import VOLUME_HEADERS, column_names, header_key
from .numbers import parse_number
from .output import (
    atomic_path,
    check_output_folder,
    check_output_path,
    write_bytes_atomic,
    write_text_atomic,
)
from .table import is_excel, read_bytes, read_table
from .text import decode_text, sniff_delimiter
from .times import parse_time_option, parse_times, read_times, zone_of_times
from .zones import (
    DEFAULT_TZ,
    MONTH_FIRST_COUNTRIES,
    check_zone,
    country_of_zone,
    dayfirst_of_zone,
    resolve_dayfirst,
    zone_countries,
    zone_from_offsets,
    zone_name,
)

__all__ = [
    "DEFAULT_TZ", "MONTH_FIRST_COUNTRIES", "VOLUME_HEADERS", "as_text", "atomic_path",
    "cell_text", "check_output_folder", "check_output_path", "check_zone", "column_names",
    "country_of_zone", "dayfirst_of_zone", "decode_text", "header_key", "is_excel",
    "join_date_time", "numeric_dates_to_iso", "parse_number", "parse_time_option",
    "parse_times", "read_bytes", "read_table", "read_times", "resolve_dayfirst",
    "sniff_delimiter", "write_bytes_atomic", "write_text_atomic", "zone_countries",
    "zone_from_offsets", "zone_name", "zone_of_times",
]
