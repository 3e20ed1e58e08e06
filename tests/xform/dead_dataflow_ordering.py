"""dead-dataflow-elimination inside a map whose tasklets an empty memlet
orders: loop-to-map makes one map of the loop's two states, the tasklet
of t ordered before the one of y[i] by an empty memlet. Nothing reads t,
so its tasklet goes (the empty memlet out of it does not keep it), and
the tasklet of y[i], which nothing else enters, gets an empty memlet from
the map's entry, so that it stays in the map (it was left with an output
connector and no data memlet, and IR verification failed)."""
import numpy as np

# dfc-test: script tests/xform/dead_dataflow_ordering.recipe.yaml
# dfc-test: sizes N=1 | N=17


# dfc: ordered(x: float64[N], y: float64[N])
def ordered(x, y):
    for i in range(x.shape[0]):
        t = x[i] * 2.0
        y[i] = 1.0
