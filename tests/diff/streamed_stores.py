"""Results that nothing in the kernel reads again, which the OpenMP backend
writes with non-temporal stores from a chunk buffer when a map writes
DFCRT_NT_MIN_BYTES or more of them (codegen/openmp/state.c, stream_ok;
docs/transformations.md, "After the pipeline"). tests/run.sh runs this
file twice: as it is (below the threshold: the plain loops) and built
with -DDFCRT_NT_MIN_BYTES=0, so that every such map streams: rows shorter
than a chunk and longer than several, rows that start off a cache line
(odd widths, an offset of one element), several outputs of different dtypes in one
map, 1-D and 3-D maps, an argument written in place, empty arrays."""
import numpy as np

# dfc-test: sizes N=1,M=1,K=1 | N=3,M=5,K=2 | N=7,M=1037,K=3 | N=2,M=4099,K=1
# dfc-test: sizes N=0,M=9,K=2 | N=4,M=0,K=2


# dfc: gray(rgb: float64[N, M, 3])
def gray(rgb):
    return 0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]


# dfc: flat(x: float64[M], y: float64[M])
def flat(x, y):
    return 2.5 * x - y


# dfc: several(x: float64[M], y: float32[M])
def several(x, y):
    return x * y, y + 1.5, x > 0.25, np.int64(3) * (x < 0.5)


# dfc: shifted(x: float64[M])
def shifted(x):
    out = np.empty(x.shape[0] + 1)
    out[1:] = x * 3.0
    out[0] = 1.0
    return out


# dfc: cube(A: float64[N, M, K], B: float64[N, M, K])
def cube(A, B):
    return np.sqrt(A * A + B * B)


# dfc: into(x: float64[N, M], out: float64[N, M])
def into(x, out):
    out[:] = x * x - 1.0


# dfc: cplx(x: float64[N, M])
def cplx(x):
    return x * (1.0 + 2.0j)


# dfc: narrow(x: float64[M])
def narrow(x):
    return (x * 100.0).astype(np.float32)


# The result is read again (its sum): it stays in the caches.
# dfc: reread(x: float64[M])
def reread(x):
    y = x * 2.0
    return y, np.sum(y)
