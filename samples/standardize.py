"""Column standardisation of a data matrix (zero mean, unit variance)."""
import numpy as np

# dfc-test: sizes N=30,M=7 | N=257,M=33


# dfc: standardize(X: float64[N, M])
def standardize(X):
    """Returns (X - mean) / std per column, with the population std."""
    mu = np.mean(X, axis=0)
    d = X - mu
    std = np.sqrt(np.mean(d * d, axis=0))
    return d / std


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.random((200, 5)) * 10.0
    Z = standardize(X)
    print("standardize: column means", np.mean(Z, axis=0))
    print("standardize: column stds", np.sqrt(np.mean(Z * Z, axis=0)))
