"""Row-wise softmax of a score matrix, shifted by the row maximum for safety."""
import numpy as np

# dfc-test: sizes N=16,M=10 | N=100,M=257
# dfc-test: range X=-5,5


# dfc: softmax(X: float64[N, M])
def softmax(X):
    """Returns exp(X) normalised so that every row sums to one."""
    m = np.max(X, axis=1, keepdims=True)
    e = np.exp(X - m)
    return e / np.sum(e, axis=1, keepdims=True)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.random((4, 6)) * 10.0 - 5.0
    P = softmax(X)
    print("softmax: row sums", np.sum(P, axis=1))
