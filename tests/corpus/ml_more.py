"""Machine-learning layers of the corpus: softmax, an MLP forward pass,
2-D convolution, max- and average-pooling, batch and layer normalisation,
LeNet-style feature extraction, a ResNet basic block, scaled dot-product
attention, an Elman RNN, logistic regression training, a dense layer's
backward pass and GELU/SiLU activations -- in the NumPy style of NPBench's
deep-learning kernels (channels-last tensors, explicit loops over output
positions)."""
import numpy as np

# dfc-test: sizes N=2,H=8,W=8,C=3,F=4,K=3,D=4,E=5,S=7,T=4 | N=3,H=11,W=10,C=2,F=5,K=3,D=20,E=7,S=10,T=5
# dfc-test: args lr=0.1 eps=1e-5 iters=5
# dfc-test: range x=-2,2 X=-2,2 Q=-1,1 Kt=-1,1 V=-1,1
# dfc-test: range W1=-0.5,0.5 W2=-0.5,0.5 W3=-0.5,0.5 weights=-0.5,0.5 w1=-0.5,0.5 w2=-0.5,0.5
# dfc-test: range Wx=-0.5,0.5 Wh=-0.5,0.5 w=-0.5,0.5 b=-0.5,0.5 b1=-0.5,0.5 b2=-0.5,0.5 b3=-0.5,0.5
# dfc-test: range dy=-1,1 inp=-1,1 labels=0,4
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


# dfc: cross_entropy(logits: float64[N, T], labels: int64[N])
def cross_entropy(logits, labels):
    """Mean negative log-likelihood of integer class labels under the
    softmax of the logits, and the accuracy of the arg-max prediction."""
    p = softmax_rows(logits)
    nll = -np.mean(np.log(p[np.arange(logits.shape[0]), labels]))
    acc = np.mean(np.argmax(logits, axis=1) == labels)
    return nll, acc
