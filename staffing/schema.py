"""Column names of the frames staffing reads and writes (the data contracts).

``forecast`` defines the same names for the frames it writes; a test checks that
the two agree, since the packages never import each other.
"""

INDEX = "interval_start"

# history / forecast frames (input)
CALLS = "calls"
MEAN = "mean"
AHT_S = "aht_s"

# staffing plan (output)
TRAFFIC_ERL = "traffic_erl"
STAFFING_LOAD_ERL = "staffing_load_erl"
AGENTS = "agents"
SCHEDULED = "scheduled"
SERVICE_LEVEL = "service_level"
ASA_S = "asa_s"
OCCUPANCY = "occupancy"
P_WAIT = "p_wait"
ABANDON_RATE = "abandon_rate"
BINDING = "binding"
EXPECTED_SL = "expected_service_level"
P_MEET = "p_meet_target"
EXPECTED_ABANDONED = "expected_abandoned"


def quantile_column(q: float) -> str:
    """Name of the forecast column holding quantile ``q`` (0.9 -> ``"p90"``).

    Examples
    --------
    >>> quantile_column(0.9), quantile_column(0.05), quantile_column(0.975)
    ('p90', 'p05', 'p97.5')
    """
    pct = round(q * 100, 6)
    return f"p{pct:02g}"


def is_quantile_column(name: str) -> bool:
    """Whether ``name`` is a forecast quantile column such as ``p10`` or ``p97.5``.

    Examples
    --------
    >>> is_quantile_column("p90"), is_quantile_column("peak")
    (True, False)
    """
    if not name.startswith("p"):
        return False
    try:
        return 0 < float(name[1:]) < 100
    except ValueError:
        return False
