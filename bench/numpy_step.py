#!/usr/bin/env python3
"""The weekly step of docs/model.md written a second time, vectorised with
numpy across people, as a yardstick for the C simulator's throughput.

It reads the fully resolved scenario from `securebase scenarios --resolved`
(so both run the same numbers), draws every person's traits and starting
state, lives through the burn-in, then runs the weeks with what the C runner
does each week: the true and observed scores, the weekly means, the share
secure and the histograms. Its random numbers come from numpy (PCG64), not
from the simulator's Philox streams, so its results agree in distribution,
not byte for byte. Scenarios with a timeline are out of its scope.

usage: bench/numpy_step.py [--persons N] [--weeks W] [--scenario NAME]
                           [--securebase PATH] [--chunk N]
Prints person-weeks per second of CPU time and of wall time.
"""
import argparse
import subprocess
import sys
import time

import numpy as np
import yaml

SCALE_MIN, SCALE_MAX = 1.0, 7.0
HIST_BINS = 601
PROTOS = ("secure", "preoccupied", "dismissing", "fearful")
# The prototype centres are not scenario fields: the library's defaults.
CENTERS = np.array([[2.7, 2.2], [4.6, 2.7], [2.8, 3.9], [4.7, 4.4]])


def truncated(rng, dist, n):
    """A normal truncated to [min, max], by resampling what falls outside."""
    mean, sd, lo, hi = dist["mean"], dist["sd"], dist["min"], dist["max"]
    if sd <= 0 or lo >= hi:
        return np.full(n, float(mean))
    x = rng.normal(mean, sd, n)
    bad = (x < lo) | (x > hi)
    while bad.any():
        x[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = (x < lo) | (x > hi)
    return x


class Population:
    def __init__(self, sc, n, rng):
        k = sc["model"]
        pop = sc["population"]
        self.k, self.sc, self.n, self.rng = k, sc, n, rng
        share = np.array([pop["prototype_share"][p] for p in PROTOS])
        proto = rng.choice(4, size=n, p=share / share.sum())
        self.pa = np.clip(CENTERS[proto, 0] + k["proto_sd"] * rng.normal(size=n),
                          SCALE_MIN, SCALE_MAX)
        self.pv = np.clip(CENTERS[proto, 1] + k["proto_sd"] * rng.normal(size=n),
                          SCALE_MIN, SCALE_MAX)
        self.plast = truncated(rng, pop["plasticity"], n)
        self.stress_rate = truncated(rng, pop["stress_per_year"], n) / 52.0
        self.positive_rate = truncated(rng, pop["positive_per_year"], n) / 52.0
        self.s_base = truncated(rng, pop["awareness"], n)
        self.s = self.s_base.copy()
        self.c = np.zeros(n)
        d = k["residue_decay"]
        keep = 1.0 - d
        spread = k["noise"] * keep / np.sqrt(1.0 - keep * keep) if keep < 1 else 0.0
        mean_a = mean_v = 0.0
        if d > 0:
            bad = self.stress_rate * k["stress_size"] * (1 - k["stress_awareness"] * self.s_base)
            good = self.positive_rate * k["stress_size"]
            scale = k["stress_lasting"] * keep / d
            mean_a = scale * k["stress_anxiety"] * (bad * (SCALE_MAX - self.pa) - good * (self.pa - SCALE_MIN)) / 6
            mean_v = scale * k["stress_avoidance"] * (bad * (SCALE_MAX - self.pv) - good * (self.pv - SCALE_MIN)) / 6
        self.ra = mean_a + spread * rng.normal(size=n)
        self.rv = mean_v + spread * rng.normal(size=n)
        self.a = np.clip(self.pa + self.ra, SCALE_MIN, SCALE_MAX)
        self.v = np.clip(self.pv + self.rv, SCALE_MIN, SCALE_MAX)
        self.has = [rng.random(n) < r["share"] for r in sc["relationships"]]
        self.everyone = np.arange(n)

    def contacts(self, who, resp, cons, weight, secure, gain, bias, session, acc):
        """Contacts of the people `who` (an index array; a person appears once
        per contact). Every contact of a week reads the state at its start,
        so their effects are summed per person with bincount."""
        k, rng, n = self.k, self.rng, self.n
        if who.size == 0:
            return
        quality = resp + (1.0 - cons) * k["quality_noise"] * rng.normal(size=who.size)
        surprise = np.abs(quality - resp)
        q = np.clip(quality - bias[who], 0.0, 1.0)
        target = k["target_secure"] if secure else k["target_insecure"]
        a, v = self.a[who], self.v[who]
        g = gain[who] * weight
        push_a = q * (target - a) + k["inconsistency_push"] * surprise * (SCALE_MAX - a)
        push_v = q * (target - v) + k["rejection_push"] * (1.0 - q) * (SCALE_MAX - v)
        da = g * push_a
        dv = g * k["avoidance_learning"] * push_v
        if session:
            s = self.s[who]
            hit = (q > 0.5) & (rng.random(who.size) < k["breakthrough_rate"] * s)
            share = k["breakthrough_share"] * hit
            da = da + share * q * (target - a)
            dv = dv + share * q * k["avoidance_learning"] * (target - v)
            acc["ds"] += np.bincount(who, share * (1.0 - s), n)
        acc["da"] += np.bincount(who, da, n)
        acc["dv"] += np.bincount(who, dv, n)
        acc["support"] += np.bincount(who, weight * q, n)

    def life_events(self, count, positive, buffer, acc):
        """Every event of the week at once: `count` per person."""
        k, rng, n = self.k, self.rng, self.n
        who = np.repeat(np.arange(n), count)
        if who.size == 0:
            return
        size = rng.exponential(k["stress_size"], who.size)
        a, v = self.a[who], self.v[who]
        if positive:
            da = -size * k["stress_anxiety"] * (a - SCALE_MIN) / 6.0
            dv = -size * k["stress_avoidance"] * (v - SCALE_MIN) / 6.0
        else:
            m = (size * (1.0 - buffer[who]) * (1.0 - k["stress_consolidation"] * self.c[who])
                 * (1.0 - k["stress_awareness"] * self.s[who]))
            back = np.minimum(1.0, m * k["stress_to_prototype"])
            da = back * np.maximum(0.0, self.pa[who] - a) + m * k["stress_anxiety"] * (SCALE_MAX - a) / 6.0
            dv = back * np.maximum(0.0, self.pv[who] - v) + m * k["stress_avoidance"] * (SCALE_MAX - v) / 6.0
        acc["da"] += np.bincount(who, da, n)
        acc["dv"] += np.bincount(who, dv, n)
        lasting = rng.random(who.size) < k["stress_lasting"]
        self.ra += np.bincount(who, da * lasting, n)
        self.rv += np.bincount(who, dv * lasting, n)

    def step(self, week):
        """One week; `week` < 0 is burn-in (only relationships there at week 0)."""
        k, sc, rng, n = self.k, self.sc, self.rng, self.n
        acc = {"da": np.zeros(n), "dv": np.zeros(n), "ds": np.zeros(n), "support": np.zeros(n)}
        dc = np.zeros(n)
        gain = k["learning"] * self.plast * (1.0 + k["learning_awareness"] * self.s)
        bias = (1.0 - self.s) * (k["bias_anxiety"] * (self.a - SCALE_MIN) / 6.0
                                 + k["bias_avoidance"] * (self.v - SCALE_MIN) / 6.0)
        for r, rel in enumerate(sc["relationships"]):
            if week < 0:
                here = rel["start_week"] == 0
            else:
                here = rel["start_week"] <= week and (rel["end_week"] < 0 or week < rel["end_week"])
            if not here:
                continue
            count = rng.poisson(rel["contacts_per_week"], n) * self.has[r]
            self.contacts(np.repeat(self.everyone, count), rel["responsiveness"],
                          rel["consistency"], rel["weight"], rel["secure"], gain, bias,
                          False, acc)
        th = sc["therapy"]
        course = 0 <= week and th["start_week"] <= week < th["start_week"] + th["weeks"]
        if course and th["sessions_per_week"] > 0:
            whole = np.floor(th["sessions_per_week"])
            due = whole + (rng.random(n) < th["sessions_per_week"] - whole)
            for i in range(int(due.max(initial=0))):
                came = (due > i) & (rng.random(n) < th["attendance"])
                self.contacts(np.flatnonzero(came), th["alliance"], th["consistency"],
                              th["weight"], True, gain * k["session_intensity"], bias,
                              True, acc)
                acc["ds"] += came * k["awareness_therapy"] * (1.0 - self.s)
                dc += came * k["consolidation_therapy"] * (1.0 - self.c)
        for habit, is_practice in ((sc["reflection"], False), (sc["practice"], True)):
            on = 0 <= week and habit["start_week"] <= week and (habit["end_week"] < 0 or week < habit["end_week"])
            if not on or habit["per_week"] <= 0:
                continue
            times = rng.poisson(habit["per_week"], n)
            if is_practice:
                rate = np.clip(k["consolidation_practice"] * (0.5 + self.s), 0, 1)
                dc += (1.0 - (1.0 - rate) ** times) * (1.0 - self.c)
            else:
                acc["ds"] += (1.0 - (1.0 - k["awareness_reflection"]) ** times) * (1.0 - self.s)
        pull = k["pull"] * (1.0 - k["pull_consolidation"] * self.c)
        acc["da"] += pull * (self.pa + self.ra - self.a)
        acc["dv"] += pull * (self.pv + self.rv - self.v)
        buffer = k["stress_buffer"] * np.clip(acc["support"], 0.0, 1.0)
        self.life_events(rng.poisson(self.stress_rate), False, buffer, acc)
        self.life_events(rng.poisson(self.positive_rate), True, buffer, acc)
        drift_a = k["noise"] * rng.normal(size=n)
        drift_v = k["noise"] * rng.normal(size=n)
        self.pa += k["revision"] * self.c * (self.a - self.pa)
        self.pv += k["revision"] * self.c * (self.v - self.pv)
        self.a = np.clip(self.a + acc["da"], SCALE_MIN, SCALE_MAX)
        self.v = np.clip(self.v + acc["dv"], SCALE_MIN, SCALE_MAX)
        self.s = np.clip(self.s + acc["ds"] - k["awareness_decay"] * (self.s - self.s_base), 0, 1)
        self.c = np.clip(self.c + dc - k["consolidation_decay"] * self.c, 0, 1)
        self.ra = (self.ra + drift_a) * (1.0 - k["residue_decay"])
        self.rv = (self.rv + drift_v) * (1.0 - k["residue_decay"])

    def observe(self, week):
        """The week's scores, added to the weekly statistics as the C runner
        gathers them: sums, the count secure and the two histograms."""
        k, rng, n = self.k, self.rng, self.n
        a = np.clip(self.a + k["state_sd"] * rng.normal(size=n), SCALE_MIN, SCALE_MAX)
        v = np.clip(self.v + k["state_sd"] * rng.normal(size=n), SCALE_MIN, SCALE_MAX)
        oa = np.clip(a + k["sem_anxiety"] * rng.normal(size=n), SCALE_MIN, SCALE_MAX)
        ov = np.clip(v + k["sem_avoidance"] * rng.normal(size=n), SCALE_MIN, SCALE_MAX)
        secure = (a < k["secure_cutoff"]) & (v < k["secure_cutoff"])
        week.sums += (a.sum(), v.sum(), self.s.sum(), self.c.sum(), ((oa + ov) / 2).sum())
        week.secure += int(secure.sum())
        week.hist_a += np.bincount(np.rint((a - SCALE_MIN) * 100).astype(np.int64),
                                   minlength=HIST_BINS)
        week.hist_v += np.bincount(np.rint((v - SCALE_MIN) * 100).astype(np.int64),
                                   minlength=HIST_BINS)


class Week:
    """One week's statistics over every chunk of people."""
    def __init__(self):
        self.sums = np.zeros(5)
        self.secure = 0
        self.hist_a = np.zeros(HIST_BINS, dtype=np.int64)
        self.hist_v = np.zeros(HIST_BINS, dtype=np.int64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--weeks", type=int, default=520)
    ap.add_argument("--scenario", default="all-factors")
    ap.add_argument("--securebase", default="build/securebase")
    ap.add_argument("--chunk", type=int, default=2048, help="people simulated together")
    args = ap.parse_args()
    if args.persons < 1 or args.weeks < 1 or args.chunk < 1:
        sys.exit("numpy_step: --persons, --weeks and --chunk must be at least 1")
    text = subprocess.run([args.securebase, "scenarios", "--resolved", args.scenario],
                          check=True, capture_output=True, text=True).stdout
    sc = yaml.safe_load(text)
    if sc.get("timeline"):
        sys.exit("numpy_step: scenarios with a timeline are not supported")
    burn = int(sc["model"]["burn_in_weeks"])
    rng = np.random.default_rng(1)
    stats = [Week() for _ in range(args.weeks + 1)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    # People in chunks, as the C runner's blocks: arrays that stay in cache
    # (and under malloc's mmap threshold) run several times faster.
    for first in range(0, args.persons, args.chunk):
        people = Population(sc, min(args.chunk, args.persons - first), rng)
        for w in range(-burn, 0):
            people.step(w)
        for w in range(args.weeks + 1):
            people.observe(stats[w])
            if w < args.weeks:
                people.step(w)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    pw = args.persons * (args.weeks + burn)
    print(f"numpy {np.__version__}: {args.scenario}, {args.persons} people x {args.weeks} weeks "
          f"(+{burn} burn-in) = {pw:.3g} person-weeks")
    print(f"numpy pw/s: {pw / wall:.4g} (wall), {pw / cpu:.4g} (CPU)")
    print(f"share secure: {stats[0].secure / args.persons:.3f} at week 0, "
          f"{stats[-1].secure / args.persons:.3f} at week {args.weeks}")


if __name__ == "__main__":
    main()
