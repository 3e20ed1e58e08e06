#!/usr/bin/python3
"""tests/wrap/return_reuse.py -- large returned arrays reuse freed memory.

The generated module allocates each returned array with np.empty; on import
it calls dfcrt_malloc_keep so that the C library keeps freed blocks of up
to 32 MiB instead of returning them to the system, where the next call's
result would land on fresh pages and pay a page fault per page (or per
huge page) on first touch -- more than the kernel itself costs. A kernel
returning a 16 MiB array is called repeatedly, each result dropped before
the next call: after two warm-up calls, the later calls must take (almost)
no page faults, and the results must still be right. Usage:
return_reuse.py DFC (run from the repository root); prints nothing and
exits 0 on success. Skipped (77) when $DFC_CFLAGS builds kernels with
sanitizers: AddressSanitizer's allocator replaces the C library's, which
mallopt does not configure.
"""
import os
import resource
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

KERNEL = '''import numpy as np

# dfc: scaled(x: float64[N], a: float64)
def scaled(x, a):
    return x * a + 1.0
'''
N = 2 << 20          # 16 MiB of float64
CALLS = 8
MAX_FAULTS = 64      # per call, after the warm-up (16 MiB is 4096 small pages)


def main(dfc):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "reuse.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        out = os.path.join(tmp, "out")
        kit.build(dfc, src, out)
        mod = kit.load(out, "reuse")
        x = np.arange(N, dtype=np.float64)
        faults = []
        for i in range(CALLS):
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            y = mod.scaled(x, 0.5)
            faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
            if not np.array_equal(y, x * 0.5 + 1.0):
                sys.exit(f"call {i}: wrong result")
            del y
        later = faults[2:]
        if max(later) > MAX_FAULTS:
            sys.exit(f"page faults per call {faults}: the calls after the second should "
                     f"reuse the freed result (at most {MAX_FAULTS} each)")


if __name__ == "__main__":
    if "-fsanitize" in os.environ.get("DFC_CFLAGS", ""):
        print("skip: kernels built with sanitizers ($DFC_CFLAGS) use the sanitizer's "
              "allocator, which mallopt does not configure")
        sys.exit(77)
    main(sys.argv[1])
