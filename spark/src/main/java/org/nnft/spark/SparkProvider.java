package org.nnft.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.nnft.ensemble.Engine;
import org.nnft.ensemble.EngineProvider;

/**
 * {@code --engine spark}: a {@link SparkEngine} on the master given by {@code --master}; without
 * one, on the context spark-submit set up (its {@code spark.master}), else on {@code local[threads]}.
 */
public final class SparkProvider implements EngineProvider {
  @Override public String name() { return "spark"; }

  @Override public Engine create(Map<String, String> options, int threads) {
    int partitions = 0;
    if (options.containsKey("partitions")) {
      partitions = Integer.parseInt(options.get("partitions"));
      if (partitions < 1) throw new IllegalArgumentException("--partitions must be at least 1");
    }
    String master = options.get("master");
    if (master == null && System.getProperty("spark.master") != null) {
      // under spark-submit: its configuration, its master
      SparkConf conf = new SparkConf().setAppName("nnft").set("spark.ui.showConsoleProgress", "false");
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
      sc.setLogLevel("WARN");
      return new SparkEngine(sc, partitions, true);
    }
    return new SparkEngine(SparkContexts.start(master != null ? master : "local[" + Math.max(1, threads) + "]"), partitions, true);
  }
}
