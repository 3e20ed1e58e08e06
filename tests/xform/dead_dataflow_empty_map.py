"""dead-dataflow-elimination of a map that holds an empty map: the loop
over i, empty once its dead state is, becomes an empty map, and the loop
over k a map around it, the accumulation of a, the empty map and the fill
of a ordered by empty memlets. Nothing reads a: the fill and the
accumulation go, then the empty map (it computes nothing), then the map
over k (IR verification failed: the empty map was left alone in the
outer map's scope, whose exit nothing reached)."""
import numpy as np

# dfc-test: script tests/xform/dead_dataflow_empty_map.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=7,M=5


# dfc: nothing_kept(x: float64[N, M])
def nothing_kept(x):
    for k in range(x.shape[0]):
        a = 0.0
        for j in range(x.shape[1]):
            a += x[k, 0]
        for i in range(x.shape[1]):
            t = np.sin(x)
    return x[0, 0]
