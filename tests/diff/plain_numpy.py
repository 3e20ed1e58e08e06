"""import numpy without an alias."""
import numpy

# dfc-test: sizes N=5 | N=1


# dfc: plain_numpy(x: float64[N])
def plain_numpy(x):
    """numpy.sum, numpy.sqrt, numpy.zeros with numpy.float32."""
    y = numpy.zeros(x.shape, dtype=numpy.float32)
    y[:] = numpy.sqrt(x)
    return numpy.sum(x), y, numpy.pi * x
