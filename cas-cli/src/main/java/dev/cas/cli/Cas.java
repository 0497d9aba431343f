package dev.cas.cli;

import dev.cas.packaging.CasVersion;
import dev.cas.packaging.PackageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cas} command. Exit codes: {@code 0} ok, {@code 1} the package is refused (or the host
 * refused the request), {@code 2} usage error (bad options, missing files), {@code 3} the host
 * cannot be reached or refuses the credentials; messages go to stderr and name the problem.
 */
@Command(
    name = "cas",
    mixinStandardHelpOptions = true,
    versionProvider = Cas.Version.class,
    description = "Make, sign, validate and inspect CAS plugin packages, and drive a host.",
    subcommands = {
      KeygenCommand.class,
      PackageCommand.class,
      SignCommand.class,
      ValidateCommand.class,
      InspectCommand.class,
      MigrateLegacyCommand.class,
      CreateCommand.class,
      ProjectCommands.Build.class,
      ProjectCommands.Test.class,
      ProjectCommands.Dev.class,
      DemoCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      PluginsCommand.class,
      StatusCommand.class,
      ImportCommands.Install.class,
      ImportCommands.Upgrade.class,
      LifecycleCommands.Activate.class,
      LifecycleCommands.Deactivate.class,
      LifecycleCommands.Uninstall.class,
      ExportCommand.class,
      ConfigCommand.class,
      DocsCommand.class,
      HealthCommand.class,
      LogsCommand.class,
      AuditCommand.class,
      UsersCommand.class,
      TokensCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Cas implements Runnable {

  /** Success. */
  public static final int OK = 0;

  /** The package (or key, or folder) was refused. */
  public static final int REFUSED = 1;

  /** The command line was wrong or an input file is missing. */
  public static final int USAGE = 2;

  /** The host cannot be reached, or it refuses the credentials (or there are none). */
  public static final int HOST_UNAVAILABLE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final CliEnvironment env;

  Cas(CliEnvironment env) {
    this.env = env;
  }

  CliEnvironment env() {
    return env;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, CliEnvironment.system());
  }

  /** Runs the command line with the given streams and environment; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, CliEnvironment env) {
    CommandLine cli = new CommandLine(new Cas(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("cas: " + describe(e));
          return exitCode(e);
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("cas: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return USAGE;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The one place a refusal reason becomes an exit code: problems with the caller's own files or
   * options are usage errors; everything about a package's contents is a refusal.
   */
  static int exitCode(Exception e) {
    if (e instanceof PackageException pe) {
      return pe.reason() == PackageException.Reason.IO_ERROR ? USAGE : REFUSED;
    }
    if (e instanceof UsageException) {
      return USAGE;
    }
    if (e instanceof HostCallException he) {
      return he.reason() == HostCallException.Reason.REFUSED ? REFUSED : HOST_UNAVAILABLE;
    }
    return REFUSED;
  }

  static String describe(Exception e) {
    if (e instanceof PackageException pe) {
      return pe.reason() + ": " + pe.getMessage();
    }
    if (e instanceof HostCallException he) {
      return he.code().map(c -> c + ": ").orElse("") + he.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cas " + CasVersion.current() + " (Java " + Runtime.version() + ")"};
    }
  }
}
