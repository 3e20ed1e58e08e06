"""otf-map-fusion of a separable box blur: rows is read at three row
offsets by the second map, which recomputes each row sum from img instead;
rows disappears and one pass over img remains."""
import numpy as np

# dfc-test: script tests/xform/otf_fusion_blur.recipe.yaml
# dfc-test: sizes N=3,M=3 | N=17,M=29


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0
