"""Assignments whose two sides have extents dfc cannot prove equal: slices
bounded by integers computed at run time, by loop variables or by integer
parameters. NumPy checks at run time that they agree (or that the value's
extent is 1, broadcast); dfc stores over the target's extent (a mismatch
is undefined without a check; over size symbols only the call checks it:
tests/wrap/runtime_extent.py)."""
import numpy as np

# dfc-test: sizes N=9,K=4 | N=5,K=3
# dfc-test: args a=1 b=4 c=2
# dfc-test: range nnz_row=0,6 lens=0,3


# dfc: pack_rows(nnz_row: int64[N], vals: float64[N, K])
def pack_rows(nnz_row, vals):
    """CSR packing of padded rows: both sides' extents are computed."""
    n = nnz_row.shape[0]
    counts = np.minimum(nnz_row, vals.shape[1])
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(counts)
    data = np.empty(indptr[n])
    for i in range(n):
        data[indptr[i]:indptr[i + 1]] = vals[i, :counts[i]]
    return data, indptr


# dfc: unpack_rows(lens: int64[N], vals: float64[N, K])
def unpack_rows(lens, vals):
    """The reverse: rows cut from a packed vector, padded with zeros."""
    n = lens.shape[0]
    counts = np.minimum(lens, vals.shape[1])
    start = np.zeros(n + 1, dtype=np.int64)
    start[1:] = np.cumsum(counts)
    flat = vals.ravel()
    out = np.zeros((n, vals.shape[1]))
    for i in range(n):
        out[i, :counts[i]] = flat[start[i]:start[i + 1]]
    return out


# dfc: broadcast_one(x: float64[N], lens: int64[N])
def broadcast_one(x, lens):
    """A value of run-time extent 1 broadcasts over the target."""
    n = x.shape[0]
    out = np.zeros((n, n))
    for i in range(n):
        m = min(lens[i], 0) + 1
        out[i, i:] = x[i:i + m]
    return out


# dfc: triangle(x: float64[N])
def triangle(x):
    """Extents that change with the loop variable on both sides."""
    n = x.shape[0]
    out = np.zeros((n, n))
    for i in range(n):
        out[i, i:] = x[:n - i]
        out[i, :i] = x[n - i:][::-1]
    return out


# dfc: param_bounds(x: float64[N], y: float64[N], a: int64, b: int64, c: int64)
def param_bounds(x, y, a, b, c):
    """Slices bounded by integer parameters: the call checks the extents."""
    x[a:b] = y[c:c + b - a]
    x[:a] += y[b:b + a] * 2.0
    return x
