package io.moxing.cli;

import io.moxing.core.UserException;
import io.moxing.feedback.Feedback;
import io.moxing.feedback.FeedbackBook;
import io.moxing.feedback.FeedbackExport;
import io.moxing.feedback.FeedbackSeal;
import io.moxing.registry.ModelRegistry;
import io.moxing.store.Database;
import io.moxing.store.SqlFeedback;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = "Users' feedback on predictions (POST /v1/feedback): list it, show one item, export corrections as data.",
        subcommands = {FeedbackCommand.ListFeedback.class, FeedbackCommand.Show.class, FeedbackCommand.Export.class})
final class FeedbackCommand {
    private FeedbackCommand() {}

    static FeedbackBook book(Database database) {
        ModelRegistry registry = new ModelRegistry(Main.home().models());
        return new FeedbackBook(new SqlFeedback(database), FeedbackSeal.of(Main.home()), ref -> registry.card(ref).classes());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Feedback, oldest first.")
    static final class ListFeedback implements Runnable {
        @Mixin LoopOptions common;
        @Option(names = "--model", description = "Only this deployment's.") String model;
        @Option(names = "--tenant", description = "Only this tenant's.") String tenant;
        @Option(names = "--limit", defaultValue = "100") int limit;

        @Override
        public void run() {
            List<Feedback> all = book(common.database()).list(model, tenant, 0, Long.MAX_VALUE, limit);
            Output out = common.out();
            if (all.isEmpty()) out.line("no feedback yet");
            all.forEach(f -> out.line("%s  %-36s %-14s %-12s %s%s%s", Instant.ofEpochMilli(f.atMs()), f.predictionId(), f.tenant(),
                    f.deployment(), f.label() == null ? "" : "label=" + f.label() + " ",
                    f.rating() == null ? "" : "rating=" + f.rating() + " ", f.comment() == null ? "" : "comment=" + f.comment()));
            out.result(Map.of("feedback", all.stream().map(Feedback::describe).toList()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One feedback item, opened.")
    static final class Show implements Runnable {
        @Mixin LoopOptions common;
        @Parameters(index = "0", description = "The feedback id.") String id;

        @Override
        public void run() {
            Feedback f = book(common.database()).find(null, id).orElseThrow(() -> new UserException("unknown_feedback",
                    "no feedback item '" + id + "'; see moxing feedback list"));
            Output out = common.out();
            f.describe().forEach((k, v) -> {
                if (v != null) out.line("%-14s %s", k, v);
            });
            out.result(f.describe());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "A new data-set version: the base (the production model's data by default) plus the corrected rows.")
    static final class Export implements Runnable {
        @Mixin LoopOptions common;
        @Parameters(index = "0", description = "The deployment whose corrections to export.") String deployment;
        @Option(names = "--as", required = true, description = "The data set to store the version under.") String as;
        @Option(names = "--base", description = "Base data set NAME:VERSION (default: what production was trained on).")
        String base;

        @Override
        public void run() {
            FeedbackExport.Exported e = LoopOptions.export(Main.home(), common.database()).export(deployment, as, base);
            Output out = common.out();
            var d = e.dataset();
            out.line("stored %s: %s plus %d corrected rows (%d labelled; %d without a logged input; %d already in the"
                    + " validation split, %d in the test split, %d repeats left out)", e.ref(), d.base(), d.added(), e.labelled(),
                    e.notLogged(), d.inValidation(), d.inTest(), d.repeated());
            out.result(e.summary());
        }
    }
}
