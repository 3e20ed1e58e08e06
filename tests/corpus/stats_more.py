"""Statistics kernels of the corpus: PolyBench covariance and correlation,
standardisation, weighted moments, simple linear regression, moving and
exponentially weighted averages, autocorrelation, log-sum-exp, higher
moments and a two-sample t statistic, the way a data analyst writes them."""
import numpy as np

# dfc-test: sizes N=8,M=6,W=3,K=4 | N=13,M=9,W=5,K=6
# dfc-test: args alpha=0.3
# dfc-test: range X=-2,2
# dfc-test: rtol 1e-9


# dfc: autocorrelation(x: float64[N], K: int64)
def autocorrelation(x, K):
    """Normalised autocorrelation of the centred series at lags 0..K-1."""
    n = x.shape[0]
    d = x - np.mean(x)
    acf = np.empty(K)
    for k in range(K):
        acf[k] = d[:n - k] @ d[k:]
    return acf / acf[0]


# dfc: correlation(data: float64[N, M])
def correlation(data):
    """Pearson correlation matrix of the columns, with tiny deviations
    clamped to one as in PolyBench."""
    n = data.shape[0]
    m = data.shape[1]
    mean = np.mean(data, axis=0)
    stddev = np.sqrt(np.mean((data - mean) ** 2, axis=0))
    stddev = np.where(stddev <= 0.1, 1.0, stddev)
    data -= mean
    data /= np.sqrt(float(n)) * stddev
    corr = np.eye(m)
    for i in range(m - 1):
        corr[i + 1:, i] = data[:, i] @ data[:, i + 1:]
        corr[i, i + 1:] = corr[i + 1:, i]
    return corr


# dfc: histogram(x: float64[N], K: int64)
def histogram(x, K):
    """Counts of x in K equal-width bins spanning [min, max]."""
    lo = np.min(x)
    hi = np.max(x)
    counts = np.zeros(K, dtype=np.int64)
    for i in range(x.shape[0]):
        b = int((x[i] - lo) / (hi - lo) * K)
        if b == K:
            b = K - 1
        counts[b] += 1
    return counts


# dfc: moving_average(x: float64[N], W: int64)
def moving_average(x, W):
    """Means of every window of W consecutive values, from a running sum."""
    c = np.cumsum(x)
    out = np.empty(x.shape[0] - W + 1)
    out[0] = c[W - 1] / W
    out[1:] = (c[W:] - c[:-W]) / W
    return out
