"""bench/sizing.py -- the sizes a kernel is timed at (worker.py's search).

A kernel is timed where NumPy takes TARGET_MS to CEILING_MS. search()
starts from the largest size set of the file's hints and probes NumPy's
time (probe(sizes) -> (ms, None), or (None, why) when NumPy refuses the
sizes or the inputs would pass MAX_INPUT_BYTES):

1. every name of `together` (the kernel's size symbols, and its integer
   scalars named like a size, such as a lag count K) is scaled by one
   factor, doubled while NumPy stays under TARGET_MS, until NumPy refuses
   the sizes or the inputs reach the memory cap (no cap on the factor
   below MAX_FACTOR);
2. if NumPy is still under TARGET_MS, each name of `alone` is grown by
   itself in turn (the integer arguments the hints fix, `args steps=30`,
   then each size symbol: an iteration count, or a batch size when the
   others are tied by more than a ratio); a name stops growing when
   NumPy refuses it or when STALL doublings in a row made NumPy less than
   GROWTH times slower -- it then goes back to its last useful value.

Growing aims at AIM_MS, a little over TARGET_MS, so that the median of
the timed runs, taken later, stays over TARGET_MS on a machine whose speed
varies a little. A doubling that overshoots CEILING_MS is bisected
(BISECT_STEPS times, on the factor) for the largest size under the
ceiling; so is one that the last doubling's growth predicts would pass
4 times the ceiling, which it is not worth waiting for (a kernel
exponential in its size). The search stops
after budget_s seconds of probing. Its result says why a kernel stays
under TARGET_MS; RESULTS.md prints that reason instead of timing the
kernel silently at a fraction of a millisecond.
"""
import math
import time

TARGET_MS, AIM_MS, CEILING_MS = 10.0, 12.5, 200.0
MAX_INPUT_BYTES = 256 << 20
MAX_FACTOR = 1 << 24
GROWTH = 1.3
STALL = 4
BISECT_STEPS = 4
BUDGET_S = 60.0


class Result:
    """sizes: {name: int}; ms: NumPy's time there (None if never probed);
    note: why ms is under TARGET_MS, or None."""

    def __init__(self, sizes, ms, note):
        self.sizes, self.ms, self.note = sizes, ms, note


def scaled(sizes, names, factor):
    """sizes with each of names multiplied by factor (at least 1)."""
    out = dict(sizes)
    for n in names:
        out[n] = max(1, int(round(sizes[n] * factor)))
    return out


class Search:
    """The probes of one kernel, their deadline and the last refusal."""

    def __init__(self, probe, budget_s, clock):
        self.probe, self.clock = probe, clock
        self.deadline = clock() + budget_s
        self.budget_s = budget_s
        self.why = None

    def time(self, sizes):
        """NumPy's ms at sizes, or None (self.why says why)."""
        if self.clock() > self.deadline:
            self.why = "the size search ran out of its %.0f s budget" % self.budget_s
            return None
        ms, why = self.probe(sizes)
        if ms is None:
            self.why = why
        return ms

    def bisect(self, base, names, lo, hi, best):
        """The largest factor in (lo, hi) found by bisection whose time is
        under the ceiling; best = (sizes, ms) at lo."""
        for _ in range(BISECT_STEPS):
            mid = math.sqrt(lo * hi)
            cand = scaled(base, names, mid)
            if cand == best[0] or cand == scaled(base, names, hi):
                break
            t = self.time(cand)
            if t is None or t > CEILING_MS:
                hi = mid
                continue
            lo, best = mid, (cand, t)
            if t >= AIM_MS:
                break
        if best[1] < TARGET_MS:
            self.why = "the next larger size passes the %.0f ms ceiling" % CEILING_MS
        return best

    def grow(self, sizes, ms, names, stall):
        """Doubles names in sizes while NumPy stays under AIM_MS; with
        stall, stops after STALL doublings that did not slow NumPy by
        GROWTH and returns the last useful sizes. Returns (sizes, ms)."""
        base, factor = sizes, 1
        cur = useful = (sizes, ms)
        quiet, ratio = 0, 1.0
        while cur[1] < AIM_MS and factor < MAX_FACTOR:
            if cur[1] * ratio > 4 * CEILING_MS:
                return self.bisect(base, names, factor, factor * 2, cur)
            cand = scaled(base, names, factor * 2)
            t = self.time(cand)
            if t is None:
                break
            if t > CEILING_MS:
                return self.bisect(base, names, factor, factor * 2, cur)
            factor, cur, ratio = factor * 2, (cand, t), t / max(cur[1], 1e-6)
            if t >= useful[1] * GROWTH:
                useful, quiet = cur, 0
            elif stall:
                quiet += 1
                if quiet >= STALL:
                    self.why = "doubling %s %d times does not make NumPy slower" % (
                        "/".join(names), STALL)
                    return useful
        if factor >= MAX_FACTOR:
            self.why = "%s reached %d times its hint" % ("/".join(names), MAX_FACTOR)
        return cur if not stall or cur[1] >= TARGET_MS else useful


def search(probe, base, together, alone, budget_s=BUDGET_S, clock=time.perf_counter):
    """The Result for a kernel whose hint sizes are base (see the file
    comment): together are scaled as one, then each of alone by itself."""
    s = Search(probe, budget_s, clock)
    ms = s.time(base)
    if ms is None:
        return Result(base, None, "NumPy refuses the hint sizes: %s" % s.why)
    sizes = base
    if ms < AIM_MS and together:
        sizes, ms = s.grow(sizes, ms, together, False)
    for name in alone:
        if ms >= AIM_MS:
            break
        sizes, ms = s.grow(sizes, ms, [name], True)
    if ms >= TARGET_MS:
        return Result(sizes, ms, None)
    if not together and not alone:
        s.why = "it has no size symbol or integer argument to grow"
    return Result(sizes, ms, "NumPy takes %.3g ms at most: %s" % (ms, s.why or "?"))
