package io.moxing.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import io.moxing.jobs.Job;
import io.moxing.jobs.JobDetail;
import io.moxing.jobs.JobKind;
import io.moxing.jobs.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Background jobs in the state database: a running server ({@code moxing serve}) takes queued jobs one
 * at a time (or {@code --job-workers N}); these commands queue, list, show and cancel them without it.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Background jobs run by the server (training, evaluation): list, show, cancel, submit.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Cancel.class, JobsCommand.Submit.class})
final class JobsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Jobs, newest first.")
    static final class ListJobs implements Runnable {
        @Mixin JobOptions common;
        @Option(names = "--state", description = "Only jobs in this state: queued, running, succeeded, failed, cancelled.") String state;
        @Option(names = "--limit", defaultValue = "20", description = "At most this many.") int limit;

        @Override
        public void run() {
            if (limit <= 0) throw new UserException("invalid_option", "--limit " + limit + " must be positive");
            Output out = common.out();
            List<Job> jobs = common.queue().list(state == null ? null : JobState.parse(state), limit);
            if (jobs.isEmpty()) out.line("no jobs; queue one with: moxing jobs submit train cnn-28 --epochs 3");
            for (Job j : jobs) {
                out.line("%-30s %-9s %-10s %s  %s", j.id(), j.kind().wireName(), j.state().wireName(), percent(j),
                        j.error() != null ? j.error() : j.progressMessage() == null ? "" : j.progressMessage());
            }
            out.result(Map.of("jobs", jobs));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A job: state, attempts, progress, resume point, result, log.")
    static final class Show implements Runnable {
        @Mixin JobOptions common;
        @Parameters(index = "0", description = "The job's id (moxing jobs list).") String id;
        @Option(names = "--lines", defaultValue = "20", description = "Log lines to show.") int lines;

        @Override
        public void run() {
            Output out = common.out();
            JobDetail detail = common.queue().detail(id, Math.max(0, lines));
            Job j = detail.job();
            out.line("%s  %s  %s%s", j.id(), j.kind().wireName(), j.state().wireName(),
                    j.cancelRequested() && !j.state().finished() ? " (cancel requested)" : "");
            out.line("params:     %s", Json.line(j.params()));
            out.line("attempts:   %d%s", j.attempts(), j.owner() == null ? "" : "  (owner " + j.owner() + ")");
            out.line("progress:   %s %s", percent(j), j.progressMessage() == null ? "" : j.progressMessage());
            out.line("resume ref: %s", j.resumeRef() == null ? "-" : j.resumeRef());
            out.line("created %s, started %s, finished %s", j.createdAt(), dash(j.startedAt()), dash(j.finishedAt()));
            if (j.result() != null) out.line("result:     %s", Json.line(j.result()));
            if (j.error() != null) out.line("error:      %s", j.error());
            detail.log().forEach(l -> out.line("  %s  %s", l.at(), l.line()));
            out.result(detail);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a queued job, or stop a running one at its next batch (its server sees it within seconds).")
    static final class Cancel implements Runnable {
        @Mixin JobOptions common;
        @Parameters(index = "0") String id;

        @Override
        public void run() {
            Job j = common.queue().cancel(id);
            common.audit("job.cancel", j.id(), j.state().wireName());
            Output out = common.out();
            out.line(j.state() == JobState.CANCELLED ? "cancelled %s" : "asked %s to stop; it ends at its next batch", j.id());
            out.result(j);
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Queue a job for a running server.",
            subcommands = {SubmitTrain.class, SubmitEvaluate.class})
    static final class Submit {}

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Queue a training run: what 'moxing train' does, run by the server and resumed after a crash.")
    static final class SubmitTrain implements Runnable {
        @Mixin JobOptions common;
        @Parameters(index = "0", description = "Template name (mlp-toy, cnn-28) or spec JSON file.") String spec;
        @Option(names = "--data", description = "Data set NAME or NAME:VERSION (default: the spec's).") String data;
        @Option(names = "--epochs") Integer epochs;
        @Option(names = "--name", description = "Registry name (default: the spec's name).") String name;
        @Option(names = "--limit", description = "Train on the first N training samples only.") Integer limit;

        @Override
        public void run() {
            ObjectNode params = Json.MAPPER.createObjectNode();
            Path file = Path.of(spec);
            if (Files.isRegularFile(file)) {
                // the spec travels with the job: the server may not see this file, or see it changed later
                try {
                    params.set("spec", Json.MAPPER.readTree(Files.readString(file)));
                } catch (IOException e) {
                    throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + "); check the path");
                }
            } else {
                params.put("spec", spec);
            }
            if (data != null) params.put("data", data);
            if (epochs != null) params.put("epochs", epochs);
            if (name != null) params.put("name", name);
            if (limit != null) params.put("limit", limit);
            queue(common, JobKind.TRAIN, params);
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Queue an evaluation: what 'moxing eval' does.")
    static final class SubmitEvaluate implements Runnable {
        @Mixin JobOptions common;
        @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String model;
        @Option(names = "--data", required = true, description = "Data set NAME or NAME:VERSION.") String data;
        @Option(names = "--split", defaultValue = "test", description = "train, validation or test.") String split;

        @Override
        public void run() {
            ObjectNode params = Json.MAPPER.createObjectNode().put("model", model).put("data", data).put("split", split);
            queue(common, JobKind.EVALUATE, params);
        }
    }

    private static void queue(JobOptions common, JobKind kind, ObjectNode params) {
        Job j = common.queue().submit(kind, params);
        common.audit("job.submit", j.id(), kind.wireName() + " " + Json.line(params));
        Output out = common.out();
        out.line("queued %s (%s); a running server (moxing serve) takes it; follow it with: moxing jobs show %s", j.id(),
                kind.wireName(), j.id());
        out.result(j);
    }

    private static String percent(Job j) {
        return j.progress() == null ? "   -" : String.format("%3.0f%%", 100 * j.progress());
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
