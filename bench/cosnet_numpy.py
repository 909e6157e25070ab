"""The issue-2 Cos-net workload in vectorized NumPy: d = 1, N = 100, 4 points, 10^6 networks,
the 4x4 2-pt matrix and the connected 4-pt function. Prints networks per second."""
import sys, time
import numpy as np

M = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**6
N, chunk = 100, 10000
xs = np.array([-0.5, 0.0, 0.3, 1.0])
rng = np.random.default_rng(1)
t = time.time()
s2 = np.zeros((4, 4)); s1 = np.zeros(4); m4 = 0.0; pairs = np.zeros(3)
for k in range(M // chunk):
    W0 = rng.standard_normal((chunk, N))
    b0 = rng.uniform(-np.pi, np.pi, (chunk, N))
    W1 = rng.standard_normal((chunk, N)) / np.sqrt(N)
    phi = np.einsum('cn,cnp->cp', W1, np.cos(W0[:, :, None] * xs[None, None, :] + b0[:, :, None]))
    s2 += phi.T @ phi
    m4 += np.sum(phi[:, 0] * phi[:, 1] * phi[:, 2] * phi[:, 3])
secs = time.time() - t
G = s2 / M
c4 = m4 / M - (G[0, 1] * G[2, 3] + G[0, 2] * G[1, 3] + G[0, 3] * G[1, 2])
print(f"numpy: {M} networks x 4 points (N = 100) in {secs:.3f} s = {M / secs:.3g} networks/s")
print(f"  G(-0.5, 0) = {G[0, 1]:.5f}, G_c4 = {c4:.5f}")
