"""Statistics kernels of the corpus: PolyBench covariance, standardisation,
weighted moments, simple linear regression, an exponentially weighted
moving average, log-sum-exp, higher moments, Welch's t statistic, Welford's
online covariance, the k-means inertia and one k-means (Lloyd) step, the
way a data analyst writes them."""
import numpy as np

# dfc-test: sizes N=8,M=6,W=3,K=4 | N=13,M=9,W=5,K=6
# dfc-test: args alpha=0.3
# dfc-test: range X=-2,2
# dfc-test: rtol 1e-9


# dfc: covariance(data: float64[N, M])
def covariance(data):
    """Sample covariance matrix of the columns, filled one row of the upper
    triangle at a time and mirrored (data is centred in place)."""
    n = data.shape[0]
    m = data.shape[1]
    mean = np.mean(data, axis=0)
    data -= mean
    cov = np.zeros((m, m))
    for i in range(m):
        cov[i, i:] = data[:, i] @ data[:, i:] / (n - 1.0)
        cov[i:, i] = cov[i, i:]
    return cov


# dfc: zscore(X: float64[N, M])
def zscore(X):
    """Columns to zero mean and unit (population) standard deviation."""
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma


# dfc: weighted_moments(x: float64[N], w: float64[N])
def weighted_moments(x, w):
    """Weighted mean, weighted variance and the effective sample size."""
    wsum = np.sum(w)
    mean = np.sum(w * x) / wsum
    var = np.sum(w * (x - mean) ** 2) / wsum
    n_eff = wsum * wsum / np.sum(w * w)
    return mean, var, n_eff


# dfc: linregress(x: float64[N], y: float64[N])
def linregress(x, y):
    """Least-squares line y = a + b x: slope, intercept, r^2 and residuals."""
    xm = x.mean()
    ym = y.mean()
    sxy = np.sum((x - xm) * (y - ym))
    sxx = np.sum((x - xm) ** 2)
    syy = np.sum((y - ym) ** 2)
    slope = sxy / sxx
    intercept = ym - slope * xm
    r2 = sxy * sxy / (sxx * syy)
    resid = y - (intercept + slope * x)
    return slope, intercept, r2, resid


# dfc: ewma(x: float64[N], alpha: float64)
def ewma(x, alpha):
    """Exponentially weighted moving average, a first-order recurrence."""
    out = np.empty_like(x)
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = alpha * x[i] + (1.0 - alpha) * out[i - 1]
    return out


# dfc: logsumexp(X: float64[N, M])
def logsumexp(X):
    """Row-wise log(sum(exp(X))) computed stably by shifting by the max."""
    m = np.max(X, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(X - m), axis=1)) + m[:, 0]


# dfc: moments(x: float64[N])
def moments(x):
    """Sample skewness and excess kurtosis (biased estimators)."""
    mu = np.mean(x)
    d = x - mu
    m2 = np.mean(d ** 2)
    m3 = np.mean(d ** 3)
    m4 = np.mean(d ** 4)
    return m3 / m2 ** 1.5, m4 / (m2 * m2) - 3.0


# dfc: welch_t(a: float64[N], b: float64[M])
def welch_t(a, b):
    """Welch's two-sample t statistic and its degrees of freedom."""
    va = np.var(a, ddof=1) / a.shape[0]
    vb = np.var(b, ddof=1) / b.shape[0]
    t = (np.mean(a) - np.mean(b)) / np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va * va / (a.shape[0] - 1) + vb * vb / (b.shape[0] - 1))
    return t, dof


# dfc: cov_online(X: float64[N, M])
def cov_online(X):
    """Welford's one-pass update of the mean and of the scatter matrix,
    one observation (row) at a time; returns the sample covariance."""
    m = X.shape[1]
    mean = np.zeros(m)
    C = np.zeros((m, m))
    n = 0
    for row in X:
        n += 1
        delta = row - mean
        mean += delta / n
        C += np.outer(delta, row - mean)
    return mean, C / (n - 1)


# dfc: kmeans_inertia(X: float64[N, M], C: float64[K, M])
def kmeans_inertia(X, C):
    """Sum over points of the squared distance to the nearest centroid."""
    d2 = np.sum((X[:, np.newaxis, :] - C[np.newaxis, :, :]) ** 2, axis=2)
    return np.sum(np.min(d2, axis=1))


# dfc: kmeans_step(X: float64[N, M], C: float64[K, M])
def kmeans_step(X, C):
    """One Lloyd iteration: assign every point to its nearest centroid, then
    move each centroid to the mean of its points (empty clusters stay)."""
    d2 = np.sum((X[:, np.newaxis, :] - C[np.newaxis, :, :]) ** 2, axis=2)
    labels = np.argmin(d2, axis=1)
    newC = C.copy()
    for k in range(C.shape[0]):
        members = X[labels == k]
        if members.shape[0] > 0:
            newC[k] = members.mean(axis=0)
    return labels, newC
