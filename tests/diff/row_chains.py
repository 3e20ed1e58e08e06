"""Row-wise chains: softmax, log-softmax, layer normalisation and a row
standardisation, each a row reduction feeding elementwise maps that read
it at their own row, and a chain that reads the neighbouring row of its
temporary (which no row-local rewrite may merge). The exp and sqrt maps
carry the vectorize hint (glibc's vector exp); float64 and float32, one
row, one column, widths that are no multiple of the vector width, and
rows holding NaN, +Inf and -Inf."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=1,M=37 | N=9,M=1 | N=7,M=5 | N=33,M=257
# dfc-test: range X=-5,5 F=-5,5 G=0.5,1.5 B=-1,1


# dfc: softmax64(X: float64[N, M])
def softmax64(X):
    """Softmax shifted by the row maximum."""
    e = np.exp(X - np.max(X, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: softmax32(F: float32[N, M])
def softmax32(F):
    """float32 softmax: exp of float32 (expf's vector variant)."""
    e = np.exp(F - np.max(F, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: log_softmax(X: float64[N, M])
def log_softmax(X):
    """x - max - log(sum(exp(x - max))), row by row."""
    s = X - np.max(X, axis=1, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))


# dfc: layernorm(X: float64[N, M], G: float64[M], B: float64[M])
def layernorm(X, G, B):
    """Mean and variance of each row, then a scale and shift per column."""
    mu = np.mean(X, axis=1, keepdims=True)
    var = np.mean((X - mu) ** 2, axis=1, keepdims=True)
    return (X - mu) / np.sqrt(var + 1e-5) * G + B


# dfc: softmax_special(X: float64[N, M])
def softmax_special(X):
    """NaN in the first row, +Inf in the last (its row: NaN where the
    Inf is, as NumPy's inf - inf), -Inf in the middle row's first
    element (exp gives 0 there)."""
    X[0, X.shape[1] // 2] = np.nan
    X[X.shape[0] - 1, X.shape[1] - 1] = np.inf
    X[X.shape[0] // 2, 0] = -np.inf
    e = np.exp(X - np.max(X, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: neighbour_rows(X: float64[N, M])
def neighbour_rows(X):
    """Each row of e divided by the sum of the next row of e (the last
    row by its own): a chain that reads another row of its temporary."""
    e = np.exp(X - np.max(X, axis=1, keepdims=True))
    s = np.sum(e, axis=1, keepdims=True)
    out = e / s
    out[0:X.shape[0] - 1] = e[0:X.shape[0] - 1] / s[1:X.shape[0]]
    return out
