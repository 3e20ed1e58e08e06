"""Dynamic-programming kernels of the corpus: Floyd-Warshall and Nussinov
(PolyBench), longest common subsequence, edit distance, Smith-Waterman
local alignment, the minimum-cost grid path, Kadane's maximum subarray,
longest increasing subsequence, the HMM forward algorithm, the Viterbi
score and 0/1 knapsack. Sequences are small integer arrays (an alphabet
of 4, like DNA)."""
import numpy as np

# dfc-test: sizes N=8,M=7,S=3,C=12 | N=13,M=11,S=4,C=20
# dfc-test: range seq=0,4 a=0,4 b=0,4 wt=1,6
# dfc-test: range trans=0.1,1 emit=0.1,1 init=0.1,1


# dfc: floyd_warshall(path: float64[N, N])
def floyd_warshall(path):
    """All-pairs shortest path lengths, relaxing through every k in turn."""
    for k in range(path.shape[0]):
        path[:] = np.minimum(path, path[:, k:k + 1] + path[k:k + 1, :])


# dfc: nussinov(seq: int32[N])
def nussinov(seq):
    """Maximum number of nested complementary base pairs (0-3 and 1-2 pair)
    in an RNA-like sequence."""
    n = seq.shape[0]
    table = np.zeros((n, n), dtype=np.int32)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if j - 1 >= 0:
                table[i, j] = max(table[i, j], table[i, j - 1])
            if i + 1 < n:
                table[i, j] = max(table[i, j], table[i + 1, j])
            if j - 1 >= 0 and i + 1 < n:
                if i < j - 1:
                    pair = 1 if seq[i] + seq[j] == 3 else 0
                    table[i, j] = max(table[i, j], table[i + 1, j - 1] + pair)
                else:
                    table[i, j] = max(table[i, j], table[i + 1, j - 1])
            for k in range(i + 1, j):
                table[i, j] = max(table[i, j], table[i, k] + table[k + 1, j])
    return table


# dfc: lcs(a: int64[N], b: int64[M])
def lcs(a, b):
    """Length table of the longest common subsequence of two sequences."""
    L = np.zeros((a.shape[0] + 1, b.shape[0] + 1), dtype=np.int64)
    for i in range(1, a.shape[0] + 1):
        for j in range(1, b.shape[0] + 1):
            if a[i - 1] == b[j - 1]:
                L[i, j] = L[i - 1, j - 1] + 1
            else:
                L[i, j] = max(L[i - 1, j], L[i, j - 1])
    return L


# dfc: edit_distance(a: int64[N], b: int64[M])
def edit_distance(a, b):
    """Levenshtein distance, keeping only two rows of the table."""
    m = b.shape[0]
    prev = np.arange(m + 1)
    cur = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, a.shape[0] + 1):
        cur[0] = i
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev[:] = cur
    return prev[m]


# dfc: smith_waterman(a: int64[N], b: int64[M])
def smith_waterman(a, b):
    """Best local alignment score (match +2, mismatch -1, gap -1) and the
    scoring matrix."""
    H = np.zeros((a.shape[0] + 1, b.shape[0] + 1))
    best = 0.0
    for i in range(1, a.shape[0] + 1):
        for j in range(1, b.shape[0] + 1):
            s = 2.0 if a[i - 1] == b[j - 1] else -1.0
            H[i, j] = max(0.0, H[i - 1, j - 1] + s, H[i - 1, j] - 1.0, H[i, j - 1] - 1.0)
            if H[i, j] > best:
                best = H[i, j]
    return best, H


# dfc: min_path(cost: float64[N, M])
def min_path(cost):
    """Cheapest monotone (right/down) path from the top-left corner to each
    cell; rows depend on the row above, so each row is a prefix recurrence."""
    D = np.empty_like(cost)
    D[0, 0] = cost[0, 0]
    D[0, 1:] = cost[0, 0] + np.cumsum(cost[0, 1:])
    for i in range(1, cost.shape[0]):
        D[i, 0] = D[i - 1, 0] + cost[i, 0]
        for j in range(1, cost.shape[1]):
            D[i, j] = cost[i, j] + min(D[i - 1, j], D[i, j - 1])
    return D


# dfc: kadane(x: float64[N])
def kadane(x):
    """Maximum sum of a contiguous run of x (x centred to have negatives)."""
    y = x - np.mean(x)
    best = y[0]
    cur = y[0]
    for i in range(1, y.shape[0]):
        cur = max(y[i], cur + y[i])
        best = max(best, cur)
    return best


# dfc: lis(x: float64[N])
def lis(x):
    """Length of the longest strictly increasing subsequence, O(n^2)."""
    n = x.shape[0]
    L = np.ones(n, dtype=np.int64)
    for i in range(1, n):
        for j in range(i):
            if x[j] < x[i] and L[j] + 1 > L[i]:
                L[i] = L[j] + 1
    return np.max(L)


# dfc: hmm_forward(init: float64[S], trans: float64[S, S], emit: float64[S, N])
def hmm_forward(init, trans, emit):
    """Forward algorithm with per-step normalisation: the log-likelihood of
    observing symbols 0, 1, ..., N-1 in order (emit[s, t] is the
    probability of the t-th observation in state s)."""
    alpha = init / np.sum(init) * emit[:, 0]
    c = np.sum(alpha)
    alpha /= c
    loglik = np.log(c)
    for t in range(1, emit.shape[1]):
        alpha = (alpha @ trans) * emit[:, t]
        c = np.sum(alpha)
        alpha /= c
        loglik += np.log(c)
    return loglik, alpha


# dfc: viterbi_score(init: float64[S], trans: float64[S, S], emit: float64[S, N])
def viterbi_score(init, trans, emit):
    """Log-probability of the most likely state path (max-product in the log
    domain), and the final per-state scores."""
    lt = np.log(trans)
    le = np.log(emit)
    v = np.log(init) + le[:, 0]
    for t in range(1, emit.shape[1]):
        v = np.max(v[:, np.newaxis] + lt, axis=0) + le[:, t]
    return np.max(v), v


# dfc: knapsack(wt: int64[N], val: float64[N], C: int64)
def knapsack(wt, val, C):
    """Best total value of items with integer weights fitting in capacity C,
    each item used at most once (one capacity row, updated downwards)."""
    best = np.zeros(C + 1)
    for i in range(wt.shape[0]):
        for c in range(C, wt[i] - 1, -1):
            best[c] = max(best[c], best[c - wt[i]] + val[i])
    return best[C]
