package org.nnft.model;

import java.util.List;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;

/** A net lowered for sampling: its tape, its parameters in declaration order, its dimensions. */
public final class CompiledNet {
  /** A parameter: the tape node its values go to, how many entries, and its density. */
  public record Param(String name, int node, int[] shape, Density density) {
    public int size() { int s = 1; for (int d : shape) s *= d; return s; }
    public int lastDim() { return shape.length == 0 ? 1 : shape[shape.length - 1]; }
  }

  public final String name;
  public final Tape tape;
  public final List<Param> params;
  public final int inDim;
  public final int outDim;
  /** For i.i.d.-neuron nets: the single-neuron net, else null. */
  public CompiledNet neuron;
  /** The width N (number of i.i.d. neuron terms) when {@link #neuron} is set. */
  public int width;
  /** A centered Gaussian output weight integrated out exactly in {@link #neuron}, or null. */
  public Density integratedWeight;

  public CompiledNet(String name, Tape tape, List<Param> params, int inDim, int outDim) {
    this.name = name;
    this.tape = tape;
    this.params = params;
    this.inDim = inDim;
    this.outDim = outDim;
  }

  /** The first parameter whose density is improper (flat()), or null: such a net cannot be sampled. */
  public Param improper() {
    for (Param p : params) if (!p.density().proper()) return p;
    return null;
  }

  public int parameterCount() {
    int c = 0;
    for (Param p : params) c += p.size();
    return c;
  }

  /** A drawer bound to one forward evaluator's parameter buffers: the per-network loop without lookups. */
  public Drawer drawer(Forward k) { return new Drawer(this, k); }

  public static final class Drawer {
    private final Density[] dens;
    private final double[][] bufs;
    private final int[] sizes, lastDims;

    Drawer(CompiledNet net, Forward k) {
      int n = net.params.size();
      dens = new Density[n];
      bufs = new double[n][];
      sizes = new int[n];
      lastDims = new int[n];
      for (int i = 0; i < n; i++) {
        Param p = net.params.get(i);
        dens[i] = p.density();
        bufs[i] = k.paramBuffer(p.node());
        sizes[i] = p.size();
        lastDims[i] = p.lastDim();
      }
    }

    public void draw(Rng rng) {
      for (int i = 0; i < dens.length; i++) dens[i].fill(rng, bufs[i], 0, sizes[i], lastDims[i]);
    }
  }
}
