"""Exact reference values for Erlang B, C and A, computed in 60-digit arithmetic.

Run from the project root to regenerate ``erlang_reference.json``:

    .venv/bin/python tests/reference/make_erlang_reference.py

Independent of picco's own formulas:
* Erlang B by the textbook recursion ``B(n) = a B(n-1) / (n + a B(n-1))``;
* Erlang C, service level and ASA from B by their definitions;
* Erlang A by the birth-death chain of M/M/n+M truncated where its tail is below
  1e-40, and the caller's fate given j callers ahead: the offered wait is a sum of
  exponentials with rates n*mu + i*theta (i = 0..j), so
  P(served within t) = sum_i c_i r_i/(r_i+theta) (1 - exp(-(r_i+theta) t)) with the
  hypoexponential weights c_i = prod_{k != i} r_k / (r_k - r_i), and
  E[V; served] = prod_i r_i/(r_i+theta) * sum_i 1/(r_i+theta).
"""

import json
from pathlib import Path

import mpmath as mp

mp.mp.dps = 60


def erlang_b(a, n):
    b = mp.mpf(1)
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c_row(a, n, aht, t):
    a = mp.mpf(a)
    b = erlang_b(a, n)
    c = b / (1 - (a / n) * (1 - b))
    return {"traffic_erl": float(a), "agents": n, "aht_s": aht, "target_s": t,
            "erlang_b": float(b), "erlang_c": float(c),
            "service_level": float(1 - c * mp.e ** (-(n - a) * t / aht)),
            "asa_s": float(c * aht / (n - a))}


def erlang_a_row(calls, aht, interval, n, patience, t):
    lam, mu, th = mp.mpf(calls) / interval, 1 / mp.mpf(aht), 1 / mp.mpf(patience)
    # Stationary chain, relative to state n, up to a negligible tail.
    below = [mp.mpf(1)]
    for k in range(n, 0, -1):  # p_{k-1} / p_n
        below.append(below[-1] * k * mu / lam)
    above = [mp.mpf(1)]
    while above[-1] > mp.mpf(10) ** -45 * sum(above) or len(above) < 5:
        j = len(above)
        above.append(above[-1] * lam / (n * mu + j * th))
    total = sum(below[1:]) + sum(above)
    p_wait = sum(above) / total
    abandon = sl_wait = ev_served = mp.mpf(0)
    for j, w in enumerate(above):
        rates = [n * mu + i * th for i in range(j + 1)]
        served = mp.fprod(r / (r + th) for r in rates)
        abandon += w * (1 - served)
        ev_served += w * served * mp.fsum(1 / (r + th) for r in rates)
        within = mp.mpf(0)
        for i, r in enumerate(rates):
            c = mp.fprod(rk / (rk - r) for k, rk in enumerate(rates) if k != i)
            within += c * r / (r + th) * (1 - mp.e ** (-(r + th) * t))
        sl_wait += w * within
    abandon, sl_wait, ev_served = abandon / total, sl_wait / total, ev_served / total
    return {"calls": calls, "aht_s": aht, "interval_s": interval, "agents": n,
            "patience_s": patience, "target_s": t, "p_wait": float(p_wait),
            "p_abandon": float(abandon), "sl_offered": float(1 - p_wait + sl_wait),
            "asa_s": float(ev_served / (1 - abandon))}


def main():
    cases_c = [(10, 14, 180, 20), (33.333333333333336, 38, 120, 20), (100, 117, 180, 20),
               (1000, 1029, 240, 20), (133.33333333333334, 142, 240, 20), (2.5, 4, 300, 0),
               (0.05, 1, 60, 10), (250, 265, 240, 30), (9500, 9620, 300, 15)]
    cases_a = [(1000, 240, 1800, 120, 60, 20), (1000, 240, 1800, 142, 60, 20),
               (100, 180, 1800, 14, 600, 20), (100, 180, 1800, 10, 120, 20),
               (30, 300, 900, 3, 90, 30), (400, 200, 900, 60, 30, 10),
               (900, 240, 900, 200, 180, 0), (50, 600, 1800, 5, 300, 60)]
    out = {"provenance": __doc__.strip(),
           "erlang_c": [erlang_c_row(*c) for c in cases_c],
           "erlang_a": [erlang_a_row(*c) for c in cases_a]}
    path = Path(__file__).with_name("erlang_reference.json")
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
