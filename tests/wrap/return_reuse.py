#!/usr/bin/python3
"""tests/wrap/return_reuse.py -- large returned arrays reuse freed memory.

The generated module allocates a returned array under 32 MiB with
np.empty; on import it calls dfcrt_malloc_keep so that the C library keeps
freed blocks of up to 32 MiB instead of returning them to the system, where
the next call's result would land on fresh pages and pay a page fault per
page (or per huge page) on first touch -- more than the kernel itself
costs. Larger results come from the library's pool (runtime/pool.c), which
keeps freed blocks itself. A kernel returning a 16 MiB array, then one
returning 64 MiB, is called repeatedly, each result dropped before the next
call: after two warm-up calls, the later calls must take (almost) no page
faults, and the results must still be right. For the pool also: a view
keeps its block alive after its array is dropped, two live results never
share a block, a dropped result's block serves the next call, and a much
smaller result does not take a large kept block. Usage: return_reuse.py DFC
(run from the repository root); prints nothing and exits 0 on success.
When $DFC_CFLAGS builds kernels with sanitizers only the pool is checked:
AddressSanitizer's allocator replaces the C library's, which mallopt does
not configure.
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
SMALL = 2 << 20      # 16 MiB of float64: the C library's heap
LARGE = 8 << 20      # 64 MiB: the pool
CALLS = 8
MAX_FAULTS = 64      # per call, after the warm-up (16 MiB is 4096 small pages)


def faults_per_call(mod, n):
    """Page faults of each of CALLS calls returning n float64s."""
    x = np.arange(n, dtype=np.float64)
    faults = []
    for i in range(CALLS):
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        y = mod.scaled(x, 0.5)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
        if not np.array_equal(y, x * 0.5 + 1.0):
            sys.exit(f"n={n}, call {i}: wrong result")
        del y
    if max(faults[2:]) > MAX_FAULTS:
        sys.exit(f"n={n}: page faults per call {faults}: the calls after the second "
                 f"should reuse the freed result (at most {MAX_FAULTS} each)")


def check_pool(mod):
    """Lifetimes of pool blocks, seen through the arrays' addresses."""
    x = np.arange(LARGE, dtype=np.float64)
    a = mod.scaled(x, 2.0)
    if type(a.base).__name__ != "_DfcBlock" or not a.flags.writeable:
        sys.exit(f"a 64 MiB result should live in a pool block, got base {a.base!r}")
    addr = a.ctypes.data
    view = a[LARGE // 2:]
    del a
    b = mod.scaled(x, 3.0)              # the view still holds the first block
    if b.ctypes.data == addr or not np.array_equal(view, x[LARGE // 2:] * 2.0 + 1.0):
        sys.exit("a view of a dropped result lost its block to the next call")
    del view
    c = mod.scaled(x, 4.0)              # now free: the next result takes it
    if c.ctypes.data != addr:
        sys.exit("a dropped result's block was not reused by the next call")
    if not (np.array_equal(b, x * 3.0 + 1.0) and np.array_equal(c, x * 4.0 + 1.0)):
        sys.exit("two live results share memory")
    del c
    small = mod.scaled(np.arange(LARGE // 2, dtype=np.float64), 1.0)
    if small.ctypes.data == addr:
        sys.exit("a 32 MiB result took a kept 64 MiB block")
    # a size past what memory can hold (2**83 bytes) is numpy's error,
    # never a block whose size wrapped around
    try:
        mod._dfc_empty((1 << 40, 1 << 40), np.dtype("float64"))
    except (ValueError, MemoryError):
        pass
    else:
        sys.exit("a result of 2**83 bytes was allocated")


def main(dfc):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "reuse.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        out = os.path.join(tmp, "out")
        kit.build(dfc, src, out)
        mod = kit.load(out, "reuse")
        # the sanitizers' allocator ignores mallopt; the pool is dfc's own
        if "-fsanitize" not in os.environ.get("DFC_CFLAGS", ""):
            faults_per_call(mod, SMALL)
        faults_per_call(mod, LARGE)
        check_pool(mod)


if __name__ == "__main__":
    main(sys.argv[1])
