package org.nnft.runtime;

/** A flow on R^dim (a neural ODE): transform(flow, g = ...) binds x to a point of R^dim. */
public interface Flow extends Value {
  int dim();
}
