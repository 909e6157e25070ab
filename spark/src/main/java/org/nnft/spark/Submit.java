package org.nnft.spark;

/**
 * The entry point for spark-submit: {@code spark-submit --class org.nnft.spark.Submit
 * nnft-spark-all.jar FILE [options of nnft run]} runs the script with its ensembles on the cluster
 * spark-submit set up (its master, executors and configuration).
 */
public final class Submit {
  private Submit() {}

  public static void main(String[] args) {
    String[] full = new String[args.length + 3];
    full[0] = "run";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--engine";
    full[args.length + 2] = "spark";
    org.nnft.cli.Main.main(full);
  }
}
