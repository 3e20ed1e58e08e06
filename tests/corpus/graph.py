"""Graph kernels of the corpus on dense adjacency matrices: PageRank by
power iteration, Bellman-Ford single-source shortest paths, the transitive
closure (Warshall), triangle counting, degree and closeness-like
centralities, label propagation of connected components and the graph
Laplacian's spectral quantities -- the linear-algebra view of graphs that
network scientists use in NumPy."""
import numpy as np

# dfc-test: sizes N=8 | N=13
# dfc-test: args iters=20 damping=0.85 src=1
# dfc-test: range adj=0,2 W=1,10


# dfc: pagerank(adj: int64[N, N], damping: float64, iters: int64)
def pagerank(adj, damping, iters):
    """PageRank of a directed graph (adj[i, j] = 1 for an edge i -> j);
    dangling nodes spread their rank uniformly."""
    n = adj.shape[0]
    A = adj.astype(np.float64)
    out = np.sum(A, axis=1)
    dangling = out == 0
    safe = np.where(dangling, 1.0, out)
    r = np.full(n, 1.0 / n)
    for it in range(iters):
        spread = np.sum(np.where(dangling, r, 0.0)) / n
        r = (1.0 - damping) / n + damping * ((r / safe) @ A + spread)
    return r


# dfc: bellman_ford(W: float64[N, N], src: int64)
def bellman_ford(W, src):
    """Shortest distances from src with every edge weight W[i, j] (a
    complete digraph), relaxed N - 1 times with vectorised minima."""
    n = W.shape[0]
    dist = np.full(n, np.inf)
    dist[src] = 0.0
    for it in range(n - 1):
        dist = np.minimum(dist, np.min(dist[:, np.newaxis] + W, axis=0))
    return dist


# dfc: warshall(adj: int64[N, N])
def warshall(adj):
    """Reachability (transitive closure with self loops) as booleans."""
    R = adj > 0
    for i in range(adj.shape[0]):
        R[i, i] = True
    for k in range(adj.shape[0]):
        R = R | (R[:, k:k + 1] & R[k:k + 1, :])
    return R


# dfc: triangles(adj: int64[N, N])
def triangles(adj):
    """Triangles of the undirected graph made by symmetrising adj, from
    the trace of A^3, and the per-vertex clustering coefficients."""
    A = ((adj + adj.T) > 0).astype(np.float64)
    for i in range(A.shape[0]):
        A[i, i] = 0.0
    A2 = A @ A
    tri = np.sum(A2 * A, axis=1) / 2.0
    deg = np.sum(A, axis=1)
    pairs = deg * (deg - 1.0) / 2.0
    clustering = np.where(pairs > 0.0, tri / np.where(pairs > 0.0, pairs, 1.0), 0.0)
    return np.trace(A2 @ A) / 6.0, clustering


# dfc: degree_stats(adj: int64[N, N])
def degree_stats(adj):
    """In- and out-degrees, their maxima and the degree assortativity-like
    correlation between a node's in- and out-degree."""
    indeg = np.sum(adj, axis=0)
    outdeg = np.sum(adj, axis=1)
    di = indeg - np.mean(indeg)
    do = outdeg - np.mean(outdeg)
    r = np.sum(di * do) / np.sqrt(np.sum(di * di) * np.sum(do * do))
    return indeg, outdeg, np.max(indeg), np.max(outdeg), r


# dfc: components(adj: int64[N, N])
def components(adj):
    """Connected components of the symmetrised graph by min-label
    propagation until nothing changes; returns the labels and their count."""
    n = adj.shape[0]
    A = (adj + adj.T) > 0
    labels = np.arange(n)
    changed = True
    while changed:
        cand = np.min(np.where(A, labels[np.newaxis, :], n), axis=1)
        new = np.minimum(labels, cand)
        changed = np.any(new != labels)
        labels = new
    return labels, np.count_nonzero(labels == np.arange(n))


# dfc: laplacian_power(adj: int64[N, N], iters: int64)
def laplacian_power(adj, iters):
    """Largest eigenvalue of the symmetrised graph Laplacian L = D - A by
    power iteration (Rayleigh quotient), from a fixed start vector."""
    A = ((adj + adj.T) > 0).astype(np.float64)
    for i in range(A.shape[0]):
        A[i, i] = 0.0
    L = np.diag(np.sum(A, axis=1)) - A
    v = np.linspace(1.0, 2.0, A.shape[0])
    lam = 0.0
    for it in range(iters):
        w = L @ v
        lam = (v @ w) / (v @ v)
        v = w / np.linalg.norm(w)
    return lam
