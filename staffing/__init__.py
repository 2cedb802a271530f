"""picco staffing: from call volumes to agents, with Erlang B, C and A.

The functions are pure and vectorised over intervals; see ``staffing_plan``
for the DataFrame entry point.
"""

from .erlang import asa, erlang_b, erlang_c, occupancy, service_level
from .erlang_a import ErlangAResult, erlang_a
from .plan import staffing_plan
from .required import MAX_TRAFFIC_ERL, required_agents
from .shrinkage import fte, scheduled_agents

__all__ = [
    "MAX_TRAFFIC_ERL",
    "ErlangAResult",
    "asa",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "fte",
    "occupancy",
    "required_agents",
    "scheduled_agents",
    "service_level",
    "staffing_plan",
]
