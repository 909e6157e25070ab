package org.nnft.model;

import java.util.List;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;

/** A net lowered for sampling: its tape, its parameters in declaration order, its dimensions. */
public final class CompiledNet implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** A parameter: the tape node its values go to, how many entries, and its density. */
  public record Param(String name, int node, int[] shape, Density density) implements java.io.Serializable {
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

  /**
   * The log-density of the declared densities at the parameter vector θ (tape order, as
   * {@link Forward#setParameters} takes it): the sum over parameters; when {@code grad} is not
   * null, its gradient is added there. Improper {@code flat()} parameters contribute 0.
   */
  public double logDensity(double[] theta, double[] grad) {
    double s = 0;
    for (int k = 0; k < params.size(); k++) {
      Param p = params.get(k);
      int off = tape.parameterOffset(k);
      s += p.density().logDensity(theta, off, p.size(), p.lastDim());
      if (grad != null) p.density().addGradLogDensity(theta, off, p.size(), p.lastDim(), grad, off);
    }
    return s;
  }

  public int parameterCount() {
    int c = 0;
    for (Param p : params) c += p.size();
    return c;
  }

  /** A drawer bound to one forward evaluator's parameter buffers: the per-network loop without lookups. */
  public Drawer drawer(Forward k) {
    List<Density> dens = new java.util.ArrayList<>();
    for (Param p : params) dens.add(p.density()); // declaration order = parameter number
    return new Drawer(dens, k);
  }

  /**
   * Draws one network's parameters at a time into a forward evaluator's buffers: parameter k from
   * densities.get(k), in parameter order (the random numbers of every sampler in a fixed order).
   */
  public static final class Drawer {
    private final Density[] dens;
    private final double[][] bufs;
    private final int[] sizes, lastDims;

    public Drawer(List<Density> densities, Forward k) {
      Tape t = k.tape();
      int n = densities.size();
      if (n != t.parameters()) throw new IllegalArgumentException(t.parameters() + " parameters but " + n + " densities");
      dens = densities.toArray(new Density[0]);
      bufs = new double[n][];
      sizes = new int[n];
      lastDims = new int[n];
      for (int i = 0; i < n; i++) {
        Tape.Node p = t.node(t.parameterNode(i));
        bufs[i] = k.parameter(i);
        sizes[i] = p.size;
        lastDims[i] = p.lastDim();
      }
    }

    public void draw(Rng rng) {
      for (int i = 0; i < dens.length; i++) dens[i].fill(rng, bufs[i], 0, sizes[i], lastDims[i]);
    }
  }
}
