"""The M/M/4 reference model of `playground bench` written for SimPy, to compare speed on the
same model: Poisson arrivals at 3,200/s into 4 servers of mean 1 ms (rho = 0.8).

Prints customers served per wall-clock second, the best of three runs as the engine's figure
is, and the mean wait as a sanity check against Erlang C (about 0.75 ms).
"""
import random
import sys
import time

import simpy

LAMBDA = 3200.0  # arrivals per second
MEAN_S = 0.001  # mean service time in seconds
SERVERS = 4
DURATION_S = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0


RUNS = 3  # as `playground bench` takes the best of three


def run_once():
    """One run of the model; returns (customers served, seconds, total wait)."""
    rng = random.Random(1)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    stats = {"served": 0, "wait": 0.0}

    def customer(arrived):
        with servers.request() as req:
            yield req
            stats["wait"] += env.now - arrived
            yield env.timeout(rng.expovariate(1.0 / MEAN_S))
        stats["served"] += 1

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(customer(env.now))

    env.process(arrivals())
    start = time.perf_counter()
    env.run(until=DURATION_S)
    return stats["served"], time.perf_counter() - start, stats["wait"]


def main():
    served, secs, wait = max((run_once() for _ in range(RUNS)), key=lambda r: r[0] / r[1])
    print(f"simpy   M/M/4 (rho 0.8): {served / secs / 1e6:.4f} M customers/s "
          f"({served} customers in {secs:.2f} s, best of {RUNS}, "
          f"mean wait {wait / max(served, 1) * 1e3:.3f} ms)")


if __name__ == "__main__":
    main()
