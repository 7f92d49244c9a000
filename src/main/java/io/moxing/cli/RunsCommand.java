package io.moxing.cli;

import io.moxing.train.RunDirectory;
import io.moxing.train.RunRecord;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", description = "Training runs: list them, show one.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List training runs, newest last.")
    static final class ListRuns implements Runnable {
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            List<RunRecord> runs = RunDirectory.list(Main.home().runs());
            for (RunRecord r : runs) {
                out.line("%-40s %-10s %d/%d epochs  %s", r.id(), r.status(), r.epochsCompleted(), r.epochsPlanned(),
                        r.result() == null ? "" : r.result());
            }
            out.result(Map.of("runs", runs));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run's record.")
    static final class Show implements Runnable {
        @Parameters(index = "0") String id;
        @Option(names = "--json") boolean json;

        @Override
        public void run() {
            Output out = new Output(System.out, json);
            RunDirectory run = RunDirectory.existing(Main.home().runs(), id);
            RunRecord r = run.read();
            out.line("%s  %s  %s on %s:%s, %d/%d epochs, %.1f s", r.id(), r.status(), r.model(), r.dataset().name(),
                    r.dataset().version(), r.epochsCompleted(), r.epochsPlanned(), r.trainingSeconds());
            out.line("report: %s", run.report());
            out.result(r);
        }
    }
}
