"""Image-processing kernels of the corpus: the PolyBench Deriche edge
detector, Sobel gradients, Gaussian and box blurs, colour conversion, gamma
correction, grey-level morphology, unsharp masking, 2x down- and up-sampling,
integral images and local contrast normalisation, written on NumPy arrays
the way image analysts do."""
import numpy as np

# dfc-test: sizes N=8,M=10,H=4,W=5 | N=14,M=12,H=7,W=6
# dfc-test: args alpha=0.25 gamma=2.2 amount=1.5


# dfc: local_contrast(img: float64[N, M])
def local_contrast(img):
    """Subtracts the 3x3 local mean and divides by the local standard
    deviation (plus a floor) over the interior."""
    n = img.shape[0]
    m = img.shape[1]
    s = np.zeros((n - 2, m - 2))
    s2 = np.zeros((n - 2, m - 2))
    for di in range(3):
        for dj in range(3):
            patch = img[di:n - 2 + di, dj:m - 2 + dj]
            s += patch
            s2 += patch * patch
    mean = s / 9.0
    std = np.sqrt(np.maximum(s2 / 9.0 - mean * mean, 0.0))
    return (img[1:-1, 1:-1] - mean) / (std + 0.1)


# dfc: morphology(img: float64[N, M])
def morphology(img):
    """3x3 grey-level erosion and dilation of the interior, and the
    morphological gradient (dilation minus erosion)."""
    ero = img[1:-1, 1:-1].copy()
    dil = img[1:-1, 1:-1].copy()
    for di in range(3):
        for dj in range(3):
            win = img[di:di + img.shape[0] - 2, dj:dj + img.shape[1] - 2]
            ero = np.minimum(ero, win)
            dil = np.maximum(dil, win)
    return ero, dil, dil - ero


# dfc: unsharp_mask(img: float64[N, M], amount: float64)
def unsharp_mask(img, amount):
    """Sharpens the interior by adding back the difference to a 3x3 mean,
    clipped to the input's range."""
    blur = np.zeros_like(img[1:-1, 1:-1])
    for di in range(-1, 2):
        for dj in range(-1, 2):
            blur += img[1 + di:img.shape[0] - 1 + di, 1 + dj:img.shape[1] - 1 + dj]
    blur /= 9.0
    sharp = img[1:-1, 1:-1] + amount * (img[1:-1, 1:-1] - blur)
    return np.clip(sharp, img.min(), img.max())
