"""picco campaign: plan the spot schedule, not only the call centre.

`optimise_schedule` moves a campaign's airings among candidate slots so that the call
centre needs fewer staff (or, with the staff fixed, loses fewer calls), keeping each
channel's GRP per week and the calls the campaign drives. It composes `forecast` (the
calls each airing adds) and `staffing` (capacity plans of both schedules); neither of
them imports it. `sweep` plans many scenarios (schedules x forecast quantiles or sampled
paths x staffing settings x queues) on a dask.distributed cluster.
"""

from .candidates import break_slots
from .optimise import optimise_schedule
from .result import Bound, ScheduleResult
from .sweep import sweep
from .sweep_spec import SweepSpec, parse_spec, read_spec

__all__ = ["Bound", "ScheduleResult", "SweepSpec", "break_slots", "optimise_schedule", "parse_spec",
           "read_spec", "sweep"]
