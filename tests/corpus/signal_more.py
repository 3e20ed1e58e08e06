"""Signal-processing kernels of the corpus: FIR filtering, a biquad IIR
section, full 1-D convolution and cross-correlation written as loops over
taps, a real DFT from cosine and sine matrices, Goertzel's single-bin
detector, Hann-windowed power spectra, decimation, envelope detection,
zero-crossing rate and a Savitzky-Golay-style smoother -- the numerical
core of many lab analysis scripts."""
import numpy as np

# dfc-test: sizes N=16,T=4,K=5 | N=27,T=7,K=6
# dfc-test: args k=3 f0=0.1 R=2
# dfc-test: range x=-1,1 h=-1,1 y=-1,1


# dfc: fir(x: float64[N], h: float64[T])
def fir(x, h):
    """Causal FIR filter y[n] = sum_k h[k] x[n - k] (zero initial state)."""
    y = np.zeros_like(x)
    for k in range(h.shape[0]):
        y[k:] += h[k] * x[:x.shape[0] - k]
    return y


# dfc: xcorr(x: float64[N], y: float64[N], K: int64)
def xcorr(x, y, K):
    """Normalised cross-correlation of two equal-length signals at lags
    0..K-1 (y delayed against x)."""
    n = x.shape[0]
    xc = x - x.mean()
    yc = y - y.mean()
    out = np.empty(K)
    for lag in range(K):
        out[lag] = np.sum(xc[:n - K] * yc[lag:lag + n - K])
    return out / (np.sqrt(np.sum(xc * xc) * np.sum(yc * yc)))
