package org.nnft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnft.notebook.KernelSpec;
import org.nnft.notebook.NnftKernel;
import org.nnft.runtime.Session;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** nnft kernel: the Jupyter kernel (started by Jupyter), and nnft kernel install (its kernelspec). */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "Run the Jupyter kernel (Jupyter starts it; see 'nnft kernel install').",
    subcommands = {KernelCmd.Install.class})
final class KernelCmd implements Callable<Integer> {
  @Option(names = "--connection-file", paramLabel = "FILE", description = "The connection file Jupyter writes for the kernel.") Path connectionFile;
  @Option(names = "--seed", description = "Default seed for sample() (default ${DEFAULT-VALUE}).") long seed = 1;
  @Option(names = "--threads", description = "Sampling threads (default: available cores).") int threads = Runtime.getRuntime().availableProcessors();
  @CommandLine.Mixin Main.PolicyFlags flags = new Main.PolicyFlags();

  @Override public Integer call() throws Exception {
    if (connectionFile == null) {
      Main.Streams.err.println("error: nnft kernel is started by Jupyter with --connection-file FILE; to register it, run: nnft kernel install");
      return Main.USAGE;
    }
    if (!Files.isRegularFile(connectionFile)) {
      Main.Streams.err.println("error: no such connection file: " + connectionFile);
      return Main.USAGE;
    }
    Session.Options o = new Session.Options();
    o.seed = seed;
    o.threads = Math.max(1, threads);
    try {
      o.policy = flags.policy(null);
    } catch (IllegalArgumentException bad) {
      Main.Streams.err.println("error: " + bad.getMessage());
      return Main.USAGE;
    }
    NnftKernel.serve(connectionFile, o);
    return Main.OK;
  }

  @Command(name = "install", mixinStandardHelpOptions = true, description = "Register the nnft kernel with Jupyter (a kernelspec in Jupyter's data folder).")
  static final class Install implements Callable<Integer> {
    @Option(names = "--user", description = "In the user's Jupyter data folder, e.g. ~/.local/share/jupyter (the default).") boolean user;
    @Option(names = "--prefix", paramLabel = "DIR", description = "Under DIR/share/jupyter instead (for a virtual environment or a test; Jupyter finds it with JUPYTER_PATH=DIR/share/jupyter).") Path prefix;
    @Option(names = "--display-name", paramLabel = "NAME", description = "The kernel's name in Jupyter's menus (default ${DEFAULT-VALUE}).") String displayName = "nnft";

    @Override public Integer call() throws Exception {
      if (user && prefix != null) {
        Main.Streams.err.println("error: --user and --prefix are alternatives; give one");
        return Main.USAGE;
      }
      Path data = prefix != null ? KernelSpec.prefixDataDir(prefix.toAbsolutePath()) : KernelSpec.userDataDir(System.getenv());
      Path dir = KernelSpec.install(data, displayName, KernelSpec.argv(System.getProperty("java.class.path")));
      Main.Streams.out.println("installed the nnft kernel in " + dir);
      if (prefix != null) Main.Streams.out.println("Jupyter finds it with JUPYTER_PATH=" + data);
      Main.Streams.out.println("open a notebook with: jupyter notebook (or jupyter lab), then choose the kernel \"" + displayName + "\"");
      return Main.OK;
    }
  }
}
