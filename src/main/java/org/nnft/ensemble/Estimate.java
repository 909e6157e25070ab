package org.nnft.ensemble;

/** A number with its standard error and a note on how it was estimated. */
public record Estimate(double value, double error, String note) {}
