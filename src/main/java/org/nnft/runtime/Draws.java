package org.nnft.runtime;

import java.util.List;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Request;

/**
 * Networks drawn from a net's parameter density — an ensemble (sample) or Markov chains (mcmc):
 * what correlator and connected read. Estimates come with their errors and, where they exist,
 * replicas for correlated error propagation.
 */
public interface Draws extends Value {
  /** The net drawn. */
  NetV net();

  /** Identifies the same draws in the planning pass and the real run. */
  String key();

  /** The net's input dimension (the real run). */
  int inputDim(Interpreter in);

  /** One estimate per request. */
  List<Estimate> estimate(Interpreter in, List<Request> wanted);

  /** The random source of the estimates: estimates of one source are correlated replica by replica. */
  String source();

  /** The warnings already given about these draws (each once). */
  java.util.Set<String> warned();
}
