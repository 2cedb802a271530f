import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# App tests read the numbers right after an edit: wait for the plan instead of showing the
# previous one while it is computed in the background (the app's default for people).
os.environ.setdefault("PICCO_PLAN_WAIT_S", "600")
