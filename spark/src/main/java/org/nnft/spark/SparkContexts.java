package org.nnft.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark contexts for nnft: the app name "nnft", no web UI, quiet logging (warnings and errors
 * only), and for a local master ({@code local}, {@code local[n]}, ...) a driver bound to the
 * loopback address, so that an in-process context needs no network. (Set SPARK_LOCAL_IP=127.0.0.1
 * as well, and run the JVM with the options that spark-submit adds: see the surefire
 * configuration in this module's pom.)
 */
public final class SparkContexts {
  private SparkContexts() {}

  static {
    // The core's jar picks Log4j's simple logger (its log4j2.component.properties, for Symja's log
    // calls); Spark's logging needs log4j-core, and a system property outranks that file. It must be
    // set before Log4j starts, so before the first context; a value already set is left as it is.
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.core.impl.Log4jContextFactory");
    }
  }

  /** The configuration of an nnft context on {@code master}. */
  public static SparkConf conf(String master) {
    SparkConf conf = new SparkConf()
        .setMaster(master)
        .setAppName("nnft")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        // applied while the context starts, as SparkContext.setLogLevel would be
        .set("spark.log.level", "WARN");
    if (master.equals("local") || master.startsWith("local[") || master.startsWith("local-cluster[")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    return conf;
  }

  /**
   * A new context on {@code master} (such as {@code local[2]}) with {@link #conf}; the caller stops
   * it. For a local master, Spark logs only warnings and errors from its start on (nnft's
   * nnft-log4j2.properties), unless a Log4j configuration was given.
   */
  public static JavaSparkContext start(String master) {
    if (master.startsWith("local") && System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "nnft-log4j2.properties");
    }
    JavaSparkContext sc = new JavaSparkContext(conf(master));
    sc.setLogLevel("WARN");
    return sc;
  }
}
