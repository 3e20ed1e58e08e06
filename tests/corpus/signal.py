"""Signal-processing kernels of the corpus: a biquad IIR section, full 1-D
convolution as a loop over taps, a real DFT from cosine and sine matrices,
Goertzel's single-bin detector, a Hann-windowed power spectrum, decimation,
envelope detection, the zero-crossing rate and a Savitzky-Golay smoother -- the
numerical core of many lab analysis scripts."""
import numpy as np

# dfc-test: sizes N=16,T=4,K=5 | N=27,T=7,K=6
# dfc-test: args k=3 f0=0.1 R=2
# dfc-test: range x=-1,1 h=-1,1 y=-1,1


# dfc: biquad(x: float64[N], f0: float64)
def biquad(x, f0):
    """Second-order low-pass section (RBJ cookbook, Q = 1/sqrt(2)) run as
    a direct-form-I recurrence."""
    w0 = 2.0 * np.pi * f0
    alpha = np.sin(w0) / np.sqrt(2.0)
    cw = np.cos(w0)
    a0 = 1.0 + alpha
    b0 = (1.0 - cw) / 2.0 / a0
    b1 = (1.0 - cw) / a0
    b2 = b0
    a1 = -2.0 * cw / a0
    a2 = (1.0 - alpha) / a0
    y = np.zeros_like(x)
    x1 = 0.0
    x2 = 0.0
    y1 = 0.0
    y2 = 0.0
    for n in range(x.shape[0]):
        y[n] = b0 * x[n] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1
        x1 = x[n]
        y2 = y1
        y1 = y[n]
    return y


# dfc: convolve_full(x: float64[N], h: float64[T])
def convolve_full(x, h):
    """Full linear convolution (length N + T - 1), as np.convolve does."""
    n = x.shape[0]
    t = h.shape[0]
    y = np.zeros(n + t - 1)
    for k in range(t):
        y[k:k + n] += h[k] * x
    return y


# dfc: dft_real(x: float64[N])
def dft_real(x):
    """Real and imaginary parts of the DFT from explicit cosine and sine
    matrices, and the power spectrum."""
    n = x.shape[0]
    k = np.arange(n)
    arg = 2.0 * np.pi * np.outer(k, k) / n
    re = np.cos(arg) @ x
    im = -(np.sin(arg) @ x)
    return re, im, re * re + im * im


# dfc: goertzel(x: float64[N], k: int64)
def goertzel(x, k):
    """Power of DFT bin k by Goertzel's second-order recurrence."""
    n = x.shape[0]
    w = 2.0 * np.pi * k / n
    coeff = 2.0 * np.cos(w)
    s1 = 0.0
    s2 = 0.0
    for i in range(n):
        s0 = x[i] + coeff * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


# dfc: hann_power(x: float64[N])
def hann_power(x):
    """Hann-windowed, mean-removed periodogram (one-sided, real DFT by
    matrices) and the index-free spectral centroid."""
    n = x.shape[0]
    win = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / (n - 1))
    xw = (x - np.mean(x)) * win
    m = n // 2 + 1
    kk = np.arange(m)
    arg = 2.0 * np.pi * np.outer(kk, np.arange(n)) / n
    p = (np.cos(arg) @ xw) ** 2 + (np.sin(arg) @ xw) ** 2
    p /= np.sum(win * win)
    return p, np.sum(kk * p) / np.sum(p)


# dfc: envelope(x: float64[N], K: int64)
def envelope(x, K):
    """Peak envelope: rectified signal followed by a one-pole decay, and the
    crest factor."""
    a = np.abs(x)
    env = np.empty_like(a)
    decay = 1.0 - 1.0 / K
    env[0] = a[0]
    for i in range(1, a.shape[0]):
        env[i] = max(a[i], decay * env[i - 1])
    return env, np.max(a) / np.sqrt(np.mean(x * x))


# dfc: zero_crossings(x: float64[N])
def zero_crossings(x):
    """Number and rate of sign changes of a mean-removed signal."""
    y = x - np.mean(x)
    n = np.count_nonzero((y[:-1] < 0.0) != (y[1:] < 0.0))
    return n, n / (x.shape[0] - 1)


# dfc: savgol5(x: float64[N])
def savgol5(x):
    """Five-point quadratic Savitzky-Golay smoothing of the interior
    (coefficients -3, 12, 17, 12, -3 over 35); the ends are copied."""
    y = x.copy()
    y[2:-2] = (-3.0 * x[:-4] + 12.0 * x[1:-3] + 17.0 * x[2:-2] +
               12.0 * x[3:-1] - 3.0 * x[4:]) / 35.0
    return y


# dfc: decimate(x: float64[N], R: int64)
def decimate(x, R):
    """Three-tap moving-average anti-aliasing, then every R-th sample."""
    s = x.copy()
    s[1:-1] = (x[:-2] + x[1:-1] + x[2:]) / 3.0
    return s[::R]
