"""Machine-learning layers of the corpus: softmax, an MLP forward pass,
2-D convolution, max- and average-pooling, batch and layer normalisation,
a ResNet basic block, scaled dot-product attention, an Elman RNN, logistic
regression training, a dense layer's backward pass, GELU/SiLU activations
and LeNet-style feature extraction and classification -- in the NumPy
style of NPBench's deep-learning kernels (channels-last tensors, explicit
loops over output positions)."""
import numpy as np

# dfc-test: sizes N=2,H=8,W=8,C=3,F=4,K=3,D=4,E=5,S=7,T=4 | N=3,H=11,W=10,C=2,F=5,K=3,D=20,E=7,S=10,T=5
# dfc-test: args lr=0.1 eps=1e-5 iters=5
# dfc-test: range x=-2,2 X=-2,2 Q=-1,1 Kt=-1,1 V=-1,1
# dfc-test: range W1=-0.5,0.5 W2=-0.5,0.5 W3=-0.5,0.5 weights=-0.5,0.5 w1=-0.5,0.5 w2=-0.5,0.5
# dfc-test: range Wx=-0.5,0.5 Wh=-0.5,0.5 w=-0.5,0.5 b=-0.5,0.5 b1=-0.5,0.5 b2=-0.5,0.5 b3=-0.5,0.5
# dfc-test: range dy=-1,1 inp=-1,1
# dfc-test: rtol 1e-9


def relu(x):
    return np.maximum(x, 0.0)


def softmax_rows(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def conv2d(inp, weights):
    """Valid convolution, channels last: inp (N, H, W, C), weights
    (K, K, C, F) -> (N, H - K + 1, W - K + 1, F)."""
    K = weights.shape[0]
    Ho = inp.shape[1] - K + 1
    Wo = inp.shape[2] - K + 1
    out = np.empty((inp.shape[0], Ho, Wo, weights.shape[3]))
    for i in range(Ho):
        for j in range(Wo):
            out[:, i, j, :] = np.sum(inp[:, i:i + K, j:j + K, :, np.newaxis] *
                                     weights[np.newaxis, :, :, :], axis=(1, 2, 3))
    return out


def maxpool2x2(x):
    """2x2 max-pooling with stride 2 of a channels-last tensor."""
    Ho = x.shape[1] // 2
    Wo = x.shape[2] // 2
    out = np.empty((x.shape[0], Ho, Wo, x.shape[3]))
    for i in range(Ho):
        for j in range(Wo):
            out[:, i, j, :] = np.max(x[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2, :], axis=(1, 2))
    return out


# dfc: softmax(x: float64[N, C, H, W])
def softmax(x):
    """Softmax over the last axis of a 4-D attention-score tensor."""
    tmp_max = np.max(x, axis=-1, keepdims=True)
    tmp_out = np.exp(x - tmp_max)
    tmp_sum = np.sum(tmp_out, axis=-1, keepdims=True)
    return tmp_out / tmp_sum


# dfc: mlp(X: float64[N, D], W1: float64[D, E], b1: float64[E], W2: float64[E, S], b2: float64[S], W3: float64[S, T], b3: float64[T])
def mlp(X, W1, b1, W2, b2, W3, b3):
    """Three dense layers, ReLU between them, softmax at the end."""
    h1 = relu(X @ W1 + b1)
    h2 = relu(h1 @ W2 + b2)
    return softmax_rows(h2 @ W3 + b3)


# dfc: conv2d_bias(inp: float64[N, H, W, C], weights: float64[K, K, C, F], b: float64[F])
def conv2d_bias(inp, weights, b):
    """A convolutional layer: valid convolution plus a bias per filter."""
    return conv2d(inp, weights) + b


# dfc: maxpool(x: float64[N, H, W, C])
def maxpool(x):
    """2x2/2 max-pooling (odd trailing rows and columns are dropped)."""
    return maxpool2x2(x)


# dfc: avgpool_global(x: float64[N, H, W, C])
def avgpool_global(x):
    """Global average pooling over the spatial axes."""
    return np.mean(x, axis=(1, 2))


# dfc: batchnorm(x: float64[N, H, W, C], eps: float64)
def batchnorm(x, eps):
    """Training-mode batch normalisation per channel (unit scale, no shift)."""
    mean = np.mean(x, axis=(0, 1, 2), keepdims=True)
    var = np.mean((x - mean) ** 2, axis=(0, 1, 2), keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


# dfc: layernorm(X: float64[N, D], w: float64[D], b: float64[D], eps: float64)
def layernorm(X, w, b, eps):
    """Layer normalisation of every row, with a learned scale and shift."""
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return (X - mu) / np.sqrt(var + eps) * w + b


# dfc: resnet_basic(inp: float64[N, H, W, C], w1: float64[3, 3, C, C], w2: float64[3, 3, C, C], eps: float64)
def resnet_basic(inp, w1, w2, eps):
    """ResNet basic block (3x3 convolutions, "same" padding):
    conv-BN-ReLU-conv-BN, plus the identity shortcut, then ReLU."""
    n = inp.shape[0]
    h = inp.shape[1]
    w = inp.shape[2]
    c = inp.shape[3]
    padded = np.zeros((n, h + 2, w + 2, c))
    padded[:, 1:-1, 1:-1, :] = inp
    x = conv2d(padded, w1)
    x = (x - np.mean(x, axis=(0, 1, 2))) / np.sqrt(np.var(x, axis=(0, 1, 2)) + eps)
    x = relu(x)
    padded[:, 1:-1, 1:-1, :] = x
    x = conv2d(padded, w2)
    x = (x - np.mean(x, axis=(0, 1, 2))) / np.sqrt(np.var(x, axis=(0, 1, 2)) + eps)
    return relu(x + inp)


# dfc: attention(Q: float64[S, D], Kt: float64[S, D], V: float64[S, E])
def attention(Q, Kt, V):
    """Scaled dot-product attention softmax(Q K^T / sqrt(d)) V."""
    scores = Q @ Kt.T / np.sqrt(Q.shape[1])
    return softmax_rows(scores) @ V


# dfc: rnn(x: float64[T, N, D], Wx: float64[D, E], Wh: float64[E, E], b: float64[E])
def rnn(x, Wx, Wh, b):
    """An Elman recurrent layer unrolled over T time steps; returns every
    hidden state."""
    h = np.zeros((x.shape[1], Wx.shape[1]))
    hs = np.empty((x.shape[0], x.shape[1], Wx.shape[1]))
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs


# dfc: logistic_regression(X: float64[N, D], y: float64[N], lr: float64, iters: int64)
def logistic_regression(X, y, lr, iters):
    """Batch gradient descent on the logistic loss; y holds 0/1 targets
    given as reals (thresholded at 1)."""
    t = np.where(y > 1.0, 1.0, 0.0)
    w = np.zeros(X.shape[1])
    b = 0.0
    for it in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        g = p - t
        w -= lr * (X.T @ g) / X.shape[0]
        b -= lr * np.mean(g)
    loss = -np.mean(t * np.log(p) + (1.0 - t) * np.log(1.0 - p))
    return w, b, loss


# dfc: dense_backward(x: float64[N, D], w: float64[D, E], dy: float64[N, E])
def dense_backward(x, w, dy):
    """Gradients of y = relu(x w): with respect to x, w and the mask."""
    z = x @ w
    dz = np.where(z > 0.0, dy, 0.0)
    return dz @ w.T, x.T @ dz


# dfc: activations(x: float64[N, D])
def activations(x):
    """GELU (tanh approximation), SiLU and softplus of the same input."""
    gelu = 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    silu = x / (1.0 + np.exp(-x))
    softplus = np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0.0)
    return gelu, silu, softplus


# dfc: lenet_features(inp: float64[N, H, W, C], w1: float64[K, K, C, F], w2: float64[K, K, F, F])
def lenet_features(inp, w1, w2):
    """The feature extractor of LeNet-5 in miniature: conv, ReLU, then
    conv, ReLU, 2x2 max-pool."""
    x = relu(conv2d(inp, w1))
    x = relu(conv2d(x, w2))
    return maxpool2x2(x)


# dfc: lenet_classifier(inp: float64[N, H, W, C], w1: float64[K, K, C, F], w2: float64[K, K, F, F], fc: float64[D, T])
def lenet_classifier(inp, w1, w2, fc):
    """LeNet-style network: two conv+ReLU+pool stages, flatten, a dense
    layer and softmax (D must equal the flattened feature count)."""
    x = maxpool2x2(relu(conv2d(inp, w1)))
    y = relu(conv2d(x, w2))
    flat = y.reshape(y.shape[0], -1)
    return softmax_rows(flat @ fc)
