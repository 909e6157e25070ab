package org.nnft.gauge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape.BinOp;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * Chains of linear (affine) layers in a lowered net, and the dimension of their gauge orbits.
 *
 * <h2>The orbit of a chain</h2>
 * A chain of affine maps {@code x ↦ W_i x + b_i} with widths {@code n_0 → n_1 → … → n_k} (layer
 * {@code i} maps {@code n_{i−1}} to {@code n_i}; biases optional per layer), with nothing reading the
 * intermediate values, enters the net only through the composed map {@code x ↦ B x + c},
 * {@code B = W_k ⋯ W_1}, {@code c = Σ_i W_k ⋯ W_{i+1} b_i}. The groups {@code GL(n_i)} of the
 * interior widths (and the shifts of the biases into the next layer) act on the fibres of
 * {@code θ ↦ (B, c)}; at a generic point the orbit dimension is that of the fibre,
 * <pre>  P_chain − dim{(B, c)},</pre>
 * {@code P_chain} the number of the chain's parameters, since for a polynomial map the rank of the
 * Jacobian at a generic point is the dimension of the image. The image:
 * <ul>
 *   <li>{@code B} ranges over the {@code n_k × n_0} matrices of rank at most
 *       {@code r = min(n_0, …, n_k)} (a product through a width-{@code r} layer has rank at most
 *       {@code r}, and every such matrix factors through the chain): dimension {@code r (n_0 + n_k − r)}.</li>
 *   <li>{@code c}: with no bias, {@code 0}. Otherwise let {@code j} be the last layer with a bias and
 *       {@code s = min(n_j, …, n_k)}; {@code c} lies in the column space {@code V} of
 *       {@code W_k ⋯ W_{j+1}} (dimension {@code s}, containing the column space of {@code B}). If
 *       {@code s > r}, {@code V} can be any {@code s}-dimensional space containing {@code col B} and
 *       {@code c}: {@code c} is free, dimension {@code n_k}. If {@code s = r}, {@code V = col B} and
 *       {@code c ∈ col B}: dimension {@code r}.</li>
 * </ul>
 * So {@code orbit = Σ_i (n_i n_{i−1} + [b_i] n_i) − r (n_0 + n_k − r) − (no bias ? 0 : s > r ? n_k : r)}.
 * For one interior width {@code n} between {@code a} and {@code c} with both biases this is
 * {@code n a + c n − r (a + c − r) + n}; for {@code 2 → 3 → 3 → 2} with biases it is
 * {@code 29 − 2·2 − 2 = 23}, not the {@code 2 · (3² + 3) = 24} of adding two GL(3) ⋉ R³ layers,
 * since both layers' groups share the directions that the rank-2 product leaves free.
 *
 * <h2>Chains in a tape</h2>
 * A <em>link</em> is a product with a parameter matrix used nowhere else: {@code W @ h}
 * ({@code MATVEC}, or {@code MATMAT} on a matrix {@code h}) or {@code dot(v, h)} (a left link), or
 * {@code H @ W}, {@code h @ W} (a right link, on the rows of a sequence), optionally plus a bias
 * parameter of the output's width (added to every row). Two links form a chain when the second reads
 * the first's output and nothing else does: directly, through {@code identity(...)}, or (right links)
 * through left multiplications by data, {@code M @ (H W1)}, which commute with the right
 * multiplications. A bilinear form {@code (Z A ⋯) @ transpose(Z' B ⋯)} of two bias-free right chains
 * (attention scores) is one chain through {@code A ⋯ (B ⋯)ᵀ}.
 */
public final class LinearChains {
  private LinearChains() {}

  /**
   * One affine map: its weight and bias parameter nodes (bias -1 when absent), widths, the node read
   * and the node produced (after the bias), and whether it multiplies from the right (rows of a sequence).
   */
  public record Link(int weight, int bias, int in, int out, int signal, int output, boolean right) {}

  /**
   * A chain of links in the order they are applied. {@code widths} has one more entry than
   * {@code links}; {@code biases[i]} says whether link i has a bias; {@code transposed[i]} marks the
   * links of the second factor of a bilinear form (used transposed); {@code identities} are the
   * {@code identity(...)} nodes inside the chain.
   */
  public record Chain(List<Link> links, int[] widths, boolean[] biases, boolean[] transposed, boolean bilinear, Set<Integer> identities) {
    /** The number of parameters of the chain. */
    public int parameters() {
      return LinearChains.parameters(widths, biases);
    }

    /** The generic orbit (fibre) dimension, {@link LinearChains#fibre}. */
    public int fibre() {
      return LinearChains.fibre(widths, biases);
    }

    /** The generic rank of the product, the smallest width. */
    public int rank() {
      return Arrays.stream(widths).min().orElse(0);
    }
  }

  /** {@code Σ_i n_i n_{i−1} + [b_i] n_i} for widths {@code n_0 … n_k} and biases of layers 1 … k. */
  public static int parameters(int[] widths, boolean[] biases) {
    check(widths, biases);
    int p = 0;
    for (int i = 1; i < widths.length; i++) p += widths[i] * widths[i - 1] + (biases[i - 1] ? widths[i] : 0);
    return p;
  }

  /** The dimension of the (product, offset) pairs a chain can produce (see the class comment). */
  public static int imageDimension(int[] widths, boolean[] biases) {
    check(widths, biases);
    int k = widths.length - 1, r = Integer.MAX_VALUE;
    for (int w : widths) r = Math.min(r, w);
    int image = r * (widths[0] + widths[k] - r);
    int last = -1;
    for (int i = 1; i <= k; i++) if (biases[i - 1]) last = i;
    if (last >= 0) {
      int s = Integer.MAX_VALUE;
      for (int i = last; i <= k; i++) s = Math.min(s, widths[i]);
      image += s > r ? widths[k] : r;
    }
    return image;
  }

  /** The generic orbit dimension of a chain: parameters minus {@link #imageDimension}. */
  public static int fibre(int[] widths, boolean[] biases) {
    return parameters(widths, biases) - imageDimension(widths, biases);
  }

  private static void check(int[] widths, boolean[] biases) {
    if (widths.length < 2 || biases.length != widths.length - 1) {
      throw new IllegalArgumentException("a chain of k layers has k + 1 widths and k bias flags");
    }
    for (int w : widths) if (w < 1) throw new IllegalArgumentException("widths must be positive: " + Arrays.toString(widths));
  }

  // ---------------------------------------------------------------- finding chains in a tape

  /** The chains of at least two links (or bilinear forms) of a tape. */
  public static List<Chain> find(Tape t) {
    int n = t.nodes.size();
    int[] uses = new int[n];
    for (Node nd : t.nodes) for (int i : nd.in) uses[i]++;
    Map<Integer, Link> byOutput = new HashMap<>();
    List<Link> links = new ArrayList<>();
    for (int id = 0; id < n; id++) {
      Link l = link(t, uses, id);
      if (l == null) continue;
      // the bare product of a biased link is not a link of its own
      if (l.bias >= 0) {
        Link bare = byOutput.remove(t.node(id).in[0] == l.bias ? t.node(id).in[1] : t.node(id).in[0]);
        if (bare != null) links.remove(bare);
      }
      byOutput.put(id, l);
      links.add(l);
    }
    // predecessor of each link through its signal
    Map<Link, Link> prev = new HashMap<>(), next = new HashMap<>();
    Map<Link, Set<Integer>> via = new HashMap<>();
    for (Link l : links) {
      Set<Integer> ids = new HashSet<>();
      int s = l.signal;
      while (!byOutput.containsKey(s)) {
        Node nd = t.node(s);
        if (uses[s] != 1) break;
        if (nd.kind == Kind.UNARY && nd.fn == Elementwise.IDENTITY) { ids.add(s); s = nd.in[0]; continue; }
        if (l.right && nd.kind == Kind.MATMAT && t.node(nd.in[0]).kind != Kind.PARAM) { s = nd.in[1]; continue; }
        break;
      }
      Link p = byOutput.get(s);
      if (p != null && p != l && p.right == l.right && uses[p.output] == 1 && p.out == l.in) {
        prev.put(l, p);
        next.put(p, l);
        via.put(l, ids);
      }
    }
    Map<Link, Chain> chainEndingAt = new HashMap<>();
    List<Chain> chains = new ArrayList<>();
    for (Link l : links) {
      if (prev.containsKey(l)) continue;
      List<Link> seq = new ArrayList<>();
      Set<Integer> ids = new HashSet<>();
      for (Link c = l; c != null; c = next.get(c)) {
        seq.add(c);
        if (via.containsKey(c)) ids.addAll(via.get(c));
      }
      Chain ch = chain(seq, new ArrayList<>(), ids);
      chainEndingAt.put(seq.get(seq.size() - 1), ch);
      chains.add(ch);
    }
    // bilinear forms (Z A ...) @ transpose(Z' B ...) of bias-free right chains
    List<Chain> out = new ArrayList<>();
    Set<Chain> absorbed = new HashSet<>();
    for (int id = 0; id < n; id++) {
      Node nd = t.node(id);
      if (nd.kind != Kind.MATMAT || t.node(nd.in[1]).kind != Kind.TRANSPOSE) continue;
      int q = t.node(nd.in[1]).in[0];
      Link a = byOutput.get(nd.in[0]), b = byOutput.get(q);
      if (a == null || b == null || a == b || !a.right || !b.right) continue;
      if (uses[nd.in[0]] != 1 || uses[nd.in[1]] != 1 || uses[q] != 1 || next.containsKey(a) || next.containsKey(b)) continue;
      Chain ca = chainEndingAt.get(a), cb = chainEndingAt.get(b);
      if (ca == null || cb == null || ca == cb || a.out != b.out) continue;
      boolean biased = false;
      for (boolean x : ca.biases) biased |= x;
      for (boolean x : cb.biases) biased |= x;
      if (biased) continue;
      Set<Integer> ids = new HashSet<>(ca.identities);
      ids.addAll(cb.identities);
      out.add(chain(ca.links, cb.links, ids));
      absorbed.add(ca);
      absorbed.add(cb);
    }
    for (Chain c : chains) if (c.links.size() >= 2 && !absorbed.contains(c)) out.add(c);
    out.sort((x, y) -> Integer.compare(x.links.get(0).weight, y.links.get(0).weight));
    return out;
  }

  /** The chain of {@code first}, then {@code second} traversed backwards and transposed (bilinear). */
  private static Chain chain(List<Link> first, List<Link> second, Set<Integer> ids) {
    List<Link> all = new ArrayList<>(first);
    int k = first.size() + second.size();
    int[] w = new int[k + 1];
    boolean[] b = new boolean[k], tr = new boolean[k];
    w[0] = first.get(0).in;
    for (int i = 0; i < first.size(); i++) {
      w[i + 1] = first.get(i).out;
      b[i] = first.get(i).bias >= 0;
    }
    for (int j = second.size() - 1, i = first.size(); j >= 0; j--, i++) {
      Link l = second.get(j);
      all.add(l);
      w[i + 1] = l.in; // transposed: out -> in
      tr[i] = true;
    }
    return new Chain(List.copyOf(all), w, b, tr, !second.isEmpty(), Set.copyOf(ids));
  }

  /** The link whose output (after its bias) is node {@code id}, or null. */
  private static Link link(Tape t, int[] uses, int id) {
    Node nd = t.node(id);
    if (nd.kind == Kind.BINARY && nd.op == BinOp.ADD) {
      for (int side = 0; side < 2; side++) {
        int bias = nd.in[side], prod = nd.in[1 - side];
        Node bn = t.node(bias);
        if (bn.kind != Kind.PARAM || uses[bias] != 1 || uses[prod] != 1) continue;
        Link l = bare(t, uses, prod);
        if (l == null) continue;
        // one bias per output unit (a scalar for dot), added to every row of a sequence
        boolean fits = bn.size == l.out && (bn.shape.length <= 1) && (t.node(prod).shape.length <= 1 ? bn.size == t.node(prod).size : l.right);
        if (fits) return new Link(l.weight, bias, l.in, l.out, l.signal, id, l.right);
      }
      return null;
    }
    return bare(t, uses, id);
  }

  private static Link bare(Tape t, int[] uses, int id) {
    Node nd = t.node(id);
    switch (nd.kind) {
      case MATVEC, MATMAT -> {
        int w = nd.in[0], h = nd.in[1];
        if (param(t, uses, w, 2) && t.node(h).kind != Kind.PARAM) {
          return new Link(w, -1, t.node(w).shape[1], t.node(w).shape[0], h, id, false);
        }
        if (nd.kind == Kind.MATMAT && param(t, uses, h, 2) && t.node(w).kind != Kind.PARAM) {
          return new Link(h, -1, t.node(h).shape[0], t.node(h).shape[1], w, id, true);
        }
        return null;
      }
      case VECMAT -> {
        int h = nd.in[0], w = nd.in[1];
        if (param(t, uses, w, 2) && t.node(h).kind != Kind.PARAM) return new Link(w, -1, t.node(w).shape[0], t.node(w).shape[1], h, id, true);
        return null;
      }
      case DOT -> {
        for (int side = 0; side < 2; side++) {
          int v = nd.in[side], h = nd.in[1 - side];
          if (param(t, uses, v, 1) && t.node(h).kind != Kind.PARAM && t.node(h).shape.length == 1) {
            return new Link(v, -1, t.node(v).size, 1, h, id, false);
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean param(Tape t, int[] uses, int id, int rank) {
    Node p = t.node(id);
    return p.kind == Kind.PARAM && p.shape.length == rank && uses[id] == 1;
  }
}
