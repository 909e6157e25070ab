"""The reweighted phi^4 workload of bench/reweight.nnft in vectorized NumPy (float64).

M Cos-nets phi(t) = sqrt(1/N) sum_i s_i cos(p_i t + b_i), p ~ Cauchy(0, 1), b ~ U(-pi, pi),
s = +-1, each weighed by exp(-dS) with dS = lambda int_0^T phi^4 dt on composite Gauss-Legendre
(points / 8 equal panels of 8 nodes); the self-normalised estimate of <phi(T/2)^2>, its
delete-one-batch jackknife error over 64 batches of the ratio, and the Kish ESS (sum w)^2 / sum w^2.
Expected about 0.41: <x^2>_0 = 0.4125253684 of H = p^2/2 + x^2/2 + 0.1 x^4, up to a finite-N bias.

Usage: python3 bench/reweight_numpy.py [networks=2e5] [N=250] [points=256] [chunk]
(chunk: networks per vectorised step, by default about 32 MB of cosines)."""
import sys, time
import numpy as np

T, lam, seed, batches = 12.0, 0.1, 3, 64
args = sys.argv[1:]
M = int(float(args[0])) if len(args) > 0 else 200_000
N = int(float(args[1])) if len(args) > 1 else 250
P = int(float(args[2])) if len(args) > 2 else 256
if P % 8 or P <= 0:
    sys.exit(f"points must be a positive multiple of 8 (panels of 8 Gauss-Legendre nodes), got {P}")
if M < batches:
    sys.exit(f"need at least {batches} networks for the {batches}-batch jackknife, got {M}")
Q = P + 1                          # the quadrature nodes and the observable's point T/2
chunk = int(float(args[3])) if len(args) > 3 else max(1, (1 << 22) // (N * Q))

start = time.time()
# composite Gauss-Legendre: P / 8 equal panels on [0, T], leggauss(8) mapped to each
x8, w8 = np.polynomial.legendre.leggauss(8)
h = T / (P // 8)
lo = h * np.arange(P // 8)
tq = (lo[:, None] + h / 2 * (x8[None, :] + 1)).ravel()
wq = np.tile(h / 2 * w8, P // 8)
t = np.append(tq, T / 2)

rng = np.random.default_rng(seed)
logw = np.empty(M)                 # l = -lambda sum_q w_q phi(t_q)^4
obs = np.empty(M)                  # phi(T/2)^2
buf = np.empty((chunk, N, Q))
for c0 in range(0, M, chunk):
    c = min(chunk, M - c0)
    p = rng.standard_cauchy((c, N))
    b = rng.uniform(-np.pi, np.pi, (c, N))
    s = rng.integers(0, 2, (c, N)) * 2.0 - 1.0
    z = buf[:c]
    np.multiply(p[:, :, None], t, out=z)
    z += b[:, :, None]
    np.cos(z, out=z)                                   # the cost: c x N x Q cosines
    phi = np.matmul(s[:, None, :], z)[:, 0, :] * np.sqrt(1.0 / N)
    phi2 = phi * phi
    logw[c0:c0 + c] = -lam * (phi2[:, :P] ** 2 @ wq)
    obs[c0:c0 + c] = phi2[:, P]

w = np.exp(logw - logw.max())
batch = np.arange(M) * batches // M                    # 64 consecutive batches of networks
A = np.bincount(batch, weights=w * obs, minlength=batches)
B = np.bincount(batch, weights=w, minlength=batches)
est = A.sum() / B.sum()
rep = (A.sum() - A) / (B.sum() - B)                    # delete-one-batch ratios
err = np.sqrt((batches - 1) / batches * np.sum((rep - rep.mean()) ** 2))
ess = w.sum() ** 2 / np.sum(w * w)
secs = time.time() - start

print(f"numpy: {M} networks x {P} points (N = {N}) in {secs:.3f} s = {M / secs:.3g} networks/s")
print(f"  correlator(T/2, T/2) = {est:.5f} +- {err:.5f} (jackknife, {batches} batches), "
      f"ESS = {ess:.1f} ({100 * ess / M:.1f}% of {M})")
