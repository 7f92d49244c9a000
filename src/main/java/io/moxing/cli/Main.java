package io.moxing.cli;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code moxing} command. */
@Command(name = "moxing", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train, evaluate, register and serve models.",
        subcommands = {QuickstartCommand.class, DataCommand.class, TemplatesCommand.class, TrainCommand.class,
                EvalCommand.class, ModelsCommand.class, PredictCommand.class, GenerateCommand.class, EmbedCommand.class, ServeCommand.class, DeployCommand.Deploy.class,
                DeployCommand.Undeploy.class, DeployCommand.ListDeployments.class, DeployCommand.RollbackDeployment.class, PlansCommand.class, TenantsCommand.class,
                KeysCommand.class, UsageCommand.class, InvoicesCommand.class, EconomicsCommand.class, AuditCommand.class,
                AdminTokenCommand.class, FeedbackCommand.class, PolicyCommand.class, RetrainCommand.class, DemoCommand.class,
                RunsCommand.class, JobsCommand.class, CompressCommand.class, BenchCommand.class, AutomlCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // Chinese text must reach the terminal as UTF-8 whatever the locale says
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                java.nio.charset.StandardCharsets.UTF_8));
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 2 a problem the user can fix, 1 a bug. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable cause = unwrap(e);
            if (cause instanceof UserException u) {
                err.println("error: " + u.getMessage());
                err.flush();
                return 2;
            }
            err.println("internal error: " + cause + " (set MOXING_DEBUG=1 for the stack trace, and please report it)");
            if (System.getenv("MOXING_DEBUG") != null) {
                cause.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            // the full command ("moxing data import"): a subcommand's own name alone is no command at all
            e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see: "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        return cli.execute(args);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.lang.reflect.InvocationTargetException
                || (t.getCause() instanceof UserException)) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static MoxingHome home() {
        return MoxingHome.fromEnvironment();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var b = io.moxing.core.BuildInfo.current();
            return new String[] {"moxing " + b.version() + " (" + b.commit() + ")"};
        }
    }
}
