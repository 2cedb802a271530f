"""Column names of the frames forecast reads and writes (the data contracts)."""

INDEX = "interval_start"

# history
CALLS = "calls"
AHT_S = "aht_s"

# spot schedule
START = "start"
CHANNEL = "channel"
GRP = "grp"
DURATION_S = "duration_s"

# forecast
MEAN = "mean"


def quantile_column(q: float) -> str:
    """Name of the forecast column holding quantile ``q`` (0.1 -> ``"p10"``).

    Examples
    --------
    >>> quantile_column(0.1), quantile_column(0.05), quantile_column(0.975)
    ('p10', 'p05', 'p97.5')
    """
    pct = round(q * 100, 6)
    return f"p{pct:02g}"
