"""Results of which the kernel reads some elements again and not others:
the OpenMP backend streams a map's output when nothing reads the elements
that map writes (codegen/openmp/state.c, stream_ok and note_reads; the
elements told apart by ir/elements.c), like upsample2x's odd rows, which
read its even rows. tests/run.sh runs this file as it is and built with
-DDFCRT_NT_MIN_BYTES=0, so that every such map streams, as
streamed_stores.py; tests/wrap/streamed_stores.py checks which maps
stream. The slices with negative ends need N >= 1 and M >= 2."""
import numpy as np

# dfc-test: sizes N=1,M=2 | N=2,M=3 | N=3,M=517 | N=5,M=1037 | N=2,M=4099


# The odd rows, which nothing reads again, are streamed, though the map
# that writes them reads the even rows of the same result.
# dfc: interleave(x: float64[N, M])
def interleave(x):
    big = np.zeros((2 * x.shape[0], x.shape[1]))
    big[0::2, :] = x
    big[1:-1:2, :] = 0.5 * (big[0:-2:2, :] + big[2::2, :])
    return big


# The odd rows are read again (their differences): the maps writing big do
# not stream (the copies of it into the results do).
# dfc: odd_reread(x: float64[N, M])
def odd_reread(x):
    big = np.zeros((2 * x.shape[0], x.shape[1]))
    big[1::2, :] = x * 3.0
    return big, big[1::2, 1:] - big[1::2, :-1]


# Row i is read by the next iteration of the loop, though not by its own:
# nothing is streamed.
# dfc: running_rows(x: float64[N, M])
def running_rows(x):
    y = np.zeros((x.shape[0], x.shape[1]))
    y[0, :] = x[0, :]
    for i in range(1, x.shape[0]):
        y[i, :] = y[i - 1, :] * 0.5 + x[i, :]
    return y
