"""The fit of bench/polytope_fit.nnft in NumPy: 2 -> 8 -> 1 ReLU net, MSE to |x| on 4096 points of
the disc of radius 1.5, 4000 full-batch Adam steps (lr 0.01, beta1 0.9, beta2 0.999, eps 1e-8).
Prints the final loss and the seconds the training loop took."""
import time
import numpy as np

rng = np.random.default_rng(7)
n, h = 4096, 8
g = rng.normal(size=(n, 2))
x = g / np.linalg.norm(g, axis=1, keepdims=True) * 1.5 * np.sqrt(rng.random((n, 1)))
y = np.linalg.norm(x, axis=1)
W = rng.normal(size=(h, 2)); b = rng.normal(0, 0.1, h); v = rng.normal(size=h); c = rng.normal(0, 0.1)
params = [W, b, v, np.array(c)]
m = [np.zeros_like(p) for p in params]; s = [np.zeros_like(p) for p in params]
t0 = time.perf_counter()
for t in range(1, 4001):
    z = x @ W.T + b
    a = np.maximum(z, 0)
    f = a @ v + c
    r = f - y
    loss = np.mean(r * r)
    df = 2 * r / n
    gv = a.T @ df; gc = df.sum()
    da = np.outer(df, v) * (z > 0)
    gW = da.T @ x; gb = da.sum(axis=0)
    for i, gr in enumerate([gW, gb, gv, np.array(gc)]):
        m[i] = 0.9 * m[i] + 0.1 * gr
        s[i] = 0.999 * s[i] + 0.001 * gr * gr
        params[i] -= 0.01 * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(s[i] / (1 - 0.999 ** t)) + 1e-8)
    W, b, v, c = params[0], params[1], params[2], params[3]
print("loss", loss, "seconds", round(time.perf_counter() - t0, 2))
