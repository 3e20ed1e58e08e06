#!/usr/bin/python3
"""tests/wrap/spin_count.py -- the generated module sets libgomp's spin
count while it loads the kernel library.

libgomp reads GOMP_SPINCOUNT once, when it is loaded (with the kernel
library, on import): how many rounds a thread spins at the end of a
parallel loop before it sleeps. The module sets 30000 (libgomp's default,
300000, kept a core busy long after every loop, which OpenBLAS's
threads then fought for) unless the user set GOMP_SPINCOUNT or
OMP_WAIT_POLICY, and leaves the environment as it found it. Each case
imports a module in a fresh interpreter and reads the value libgomp took
from omp_display_env(1), which prints its settings to stderr:
1. nothing set: libgomp took 30000, and os.environ has no GOMP_SPINCOUNT
   after the import;
2. GOMP_SPINCOUNT=777: libgomp took 777, and the environment still says
   777;
3. OMP_WAIT_POLICY=active: libgomp took its own spin count for that
   policy, not 30000.
The kernel's results are checked in every case. Usage: spin_count.py DFC
(run from the repository root); prints nothing and exits 0 on success.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

KERNEL = '''import numpy as np

# dfc: scaled(x: float64[N], a: float64)
def scaled(x, a):
    return x * a + 1.0
'''

PROBE = '''import ctypes, os, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import spin
x = np.arange(100000, dtype=np.float64)
assert np.array_equal(spin.scaled(x, 0.5), x * 0.5 + 1.0), "wrong result"
print("ENV", os.environ.get("GOMP_SPINCOUNT"), flush=True)
ctypes.CDLL("libgomp.so.1").omp_display_env(1)
'''


def probe(out, env):
    """(GOMP_SPINCOUNT in os.environ after the import, libgomp's value)."""
    full = {k: v for k, v in os.environ.items()
            if k not in ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")}
    full.update(env)
    r = subprocess.run([sys.executable, "-c", PROBE, out], capture_output=True, text=True,
                       env=full, timeout=120)
    if r.returncode != 0:
        kit.fail(f"{env}: the probe failed ({r.returncode}): {r.stderr[-2000:]}")
        return None, None
    seen = re.search(r"^ENV (.*)$", r.stdout, re.M)
    took = re.search(r"GOMP_SPINCOUNT = '(\d+)'", r.stderr)
    if not seen or not took:
        kit.fail(f"{env}: no ENV line or no GOMP_SPINCOUNT in omp_display_env's output:\n"
                 f"{r.stdout}{r.stderr}")
        return None, None
    return seen.group(1), took.group(1)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "spin.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        out = os.path.join(tmp, "out")
        kit.build(dfc, src, out)
        seen, took = probe(out, {})
        if took is not None and (took != "30000" or seen != "None"):
            kit.fail(f"nothing set: libgomp took {took} (want 30000), and the environment "
                     f"holds GOMP_SPINCOUNT={seen} after the import (want none)")
        seen, took = probe(out, {"GOMP_SPINCOUNT": "777"})
        if took is not None and (took != "777" or seen != "777"):
            kit.fail(f"GOMP_SPINCOUNT=777: libgomp took {took}, the environment says {seen}")
        seen, took = probe(out, {"OMP_WAIT_POLICY": "active"})
        if took is not None and (took == "30000" or seen != "None"):
            kit.fail(f"OMP_WAIT_POLICY=active: libgomp took {took} (the module's value), "
                     f"the environment says GOMP_SPINCOUNT={seen}")
    sys.exit(kit.report())


if __name__ == "__main__":
    main()
