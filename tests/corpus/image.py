"""Image-processing kernels of the corpus: the PolyBench Deriche edge
detector, Sobel gradients, Gaussian and box blurs, colour conversion, gamma
correction, 2x down- and up-sampling, integral images and thresholding,
written on NumPy arrays the way image analysts do."""
import numpy as np

# dfc-test: sizes N=8,M=10,H=4,W=5 | N=14,M=12,H=7,W=6
# dfc-test: args alpha=0.25 gamma=2.2 amount=1.5


# dfc: deriche(alpha: float64, imgIn: float64[N, M])
def deriche(alpha, imgIn):
    """Deriche recursive edge-detection filter: causal and anti-causal
    first-order recursions along the rows, then along the columns."""
    k = (1.0 - np.exp(-alpha)) * (1.0 - np.exp(-alpha)) / (
        1.0 + alpha * np.exp(-alpha) - np.exp(2.0 * alpha))
    a1 = k
    a5 = k
    a2 = k * np.exp(-alpha) * (alpha - 1.0)
    a6 = a2
    a3 = k * np.exp(-alpha) * (alpha + 1.0)
    a7 = a3
    a4 = -k * np.exp(-2.0 * alpha)
    a8 = a4
    b1 = 2.0 ** (-alpha)
    b2 = -np.exp(-2.0 * alpha)
    c1 = 1.0
    c2 = 1.0
    n = imgIn.shape[0]
    m = imgIn.shape[1]
    y1 = np.empty_like(imgIn)
    y2 = np.empty_like(imgIn)
    imgOut = np.empty_like(imgIn)

    y1[:, 0] = a1 * imgIn[:, 0]
    y1[:, 1] = a1 * imgIn[:, 1] + a2 * imgIn[:, 0] + b1 * y1[:, 0]
    for j in range(2, m):
        y1[:, j] = (a1 * imgIn[:, j] + a2 * imgIn[:, j - 1] +
                    b1 * y1[:, j - 1] + b2 * y1[:, j - 2])
    y2[:, -1] = 0.0
    y2[:, -2] = a3 * imgIn[:, -1]
    for j in range(m - 3, -1, -1):
        y2[:, j] = (a3 * imgIn[:, j + 1] + a4 * imgIn[:, j + 2] +
                    b1 * y2[:, j + 1] + b2 * y2[:, j + 2])
    imgOut[:] = c1 * (y1 + y2)

    y1[0, :] = a5 * imgOut[0, :]
    y1[1, :] = a5 * imgOut[1, :] + a6 * imgOut[0, :] + b1 * y1[0, :]
    for i in range(2, n):
        y1[i, :] = (a5 * imgOut[i, :] + a6 * imgOut[i - 1, :] +
                    b1 * y1[i - 1, :] + b2 * y1[i - 2, :])
    y2[-1, :] = 0.0
    y2[-2, :] = a7 * imgOut[-1, :]
    for i in range(n - 3, -1, -1):
        y2[i, :] = (a7 * imgOut[i + 1, :] + a8 * imgOut[i + 2, :] +
                    b1 * y2[i + 1, :] + b2 * y2[i + 2, :])
    imgOut[:] = c2 * (y1 + y2)
    return imgOut


# dfc: sobel(img: float64[N, M])
def sobel(img):
    """Sobel gradient magnitude and direction of the interior pixels."""
    gx = ((img[:-2, 2:] + 2.0 * img[1:-1, 2:] + img[2:, 2:]) -
          (img[:-2, :-2] + 2.0 * img[1:-1, :-2] + img[2:, :-2]))
    gy = ((img[2:, :-2] + 2.0 * img[2:, 1:-1] + img[2:, 2:]) -
          (img[:-2, :-2] + 2.0 * img[:-2, 1:-1] + img[:-2, 2:]))
    return np.sqrt(gx * gx + gy * gy), np.arctan2(gy, gx)


# dfc: gaussian_blur(img: float64[N, M])
def gaussian_blur(img):
    """3x3 binomial (Gaussian) blur; the border pixels are copied."""
    out = img.copy()
    out[1:-1, 1:-1] = (4.0 * img[1:-1, 1:-1] +
                       2.0 * (img[:-2, 1:-1] + img[2:, 1:-1] + img[1:-1, :-2] + img[1:-1, 2:]) +
                       img[:-2, :-2] + img[:-2, 2:] + img[2:, :-2] + img[2:, 2:]) / 16.0
    return out


# dfc: box_blur(img: float64[N, M])
def box_blur(img):
    """Separable 3-tap box filter: rows first, then columns (valid region)."""
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0


# dfc: rgb_to_gray(rgb: float64[N, M, 3])
def rgb_to_gray(rgb):
    """ITU-R BT.601 luma of an RGB image."""
    return 0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]


# dfc: gamma_correct(img: float64[N, M], gamma: float64)
def gamma_correct(img, gamma):
    """Normalises to [0, 1] by the maximum, applies the gamma curve and
    quantises to 8 bits."""
    norm = img / img.max()
    corrected = np.power(norm, 1.0 / gamma)
    return np.clip(np.floor(corrected * 255.0 + 0.5), 0, 255).astype(np.uint8)


# dfc: downsample2x(img: float64[N, M], out: float64[H, W])
def downsample2x(img, out):
    """2x2 block averages into out (H = N // 2, W = M // 2)."""
    h = out.shape[0]
    w = out.shape[1]
    out[:, :] = 0.25 * (img[0:2 * h:2, 0:2 * w:2] + img[1:2 * h:2, 0:2 * w:2] +
                        img[0:2 * h:2, 1:2 * w:2] + img[1:2 * h:2, 1:2 * w:2])


# dfc: upsample2x(small: float64[H, W])
def upsample2x(small):
    """Bilinear 2x upsampling: copies the samples to even positions and
    averages neighbours in between (the last row and column are repeated)."""
    h = small.shape[0]
    w = small.shape[1]
    big = np.empty((2 * h, 2 * w))
    big[0::2, 0::2] = small
    big[0::2, 1:-1:2] = 0.5 * (small[:, :-1] + small[:, 1:])
    big[0::2, -1] = small[:, -1]
    big[1:-1:2, :] = 0.5 * (big[0:-2:2, :] + big[2::2, :])
    big[-1, :] = big[-2, :]
    return big


# dfc: integral_image(img: float64[N, M])
def integral_image(img):
    """Summed-area table, and the sums of every 3x3 box read from it."""
    S = np.zeros((img.shape[0] + 1, img.shape[1] + 1))
    S[1:, 1:] = np.cumsum(np.cumsum(img, axis=0), axis=1)
    box = S[3:, 3:] - S[:-3, 3:] - S[3:, :-3] + S[:-3, :-3]
    return S, box


# dfc: threshold(img: float64[N, M])
def threshold(img):
    """Binary mask of pixels above the mean, and the fraction selected."""
    mask = img > img.mean()
    return mask, np.count_nonzero(mask) / mask.size
