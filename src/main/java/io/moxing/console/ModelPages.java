package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.console.view.ModelViews.ClassRow;
import io.moxing.console.view.ModelViews.Link;
import io.moxing.console.view.ModelViews.Models;
import io.moxing.console.view.ModelViews.Version;
import io.moxing.console.view.ModelViews.VersionRow;
import io.moxing.console.view.CommonViews.Fact;
import io.moxing.core.Json;
import io.moxing.eval.EvalResult;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's model versions: the list (newest first, paged), a version's card with its provenance and its
 * evaluation, and two versions compared ({@link VersionComparison}).
 */
final class ModelPages {
    static final String LIST = "/console/ops/models";
    private final ModelRegistry registry;
    private final VersionFacts facts;
    private final Pages pages;

    ModelPages(ModelRegistry registry, VersionFacts facts, Pages pages) {
        this.registry = registry;
        this.facts = facts;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(LIST, this::list);
        app.get(LIST + "/compare", ctx -> {
            String a = ctx.queryParam("a"), b = ctx.queryParam("b");
            if (a == null || b == null) throw new ConsoleError(400, "missing_field", "choose two versions to compare (a and b)");
            pages.render(ctx, "ops/compare.jte", new VersionComparison(facts).compare(pages.frame(ctx, "Compare versions"),
                    a, b, refs()));
        });
        app.get(LIST + "/{name}/{version}", this::version);
    }

    private void list(Context ctx) {
        Paging paging = Paging.of(ctx);
        List<ModelVersion> all = OperatorPages.newestFirst(registry.list());
        List<ModelVersion> probed = paging.slice(all);
        List<VersionRow> rows = paging.shown(probed).stream().map(v -> new VersionRow(v.ref(), href(v.ref()),
                v.task() == null ? "" : v.task().wireName(), v.createdAt(), String.format(Locale.ROOT, "%,d", v.parameters()),
                OperatorPages.percent(v.metrics() == null ? null : v.metrics().get("test_accuracy")), v.runId())).toList();
        pages.render(ctx, "ops/models.jte", new Models(pages.frame(ctx, "Models"), rows, paging.pager(ctx, LIST, probed),
                all.stream().map(ModelVersion::ref).toList()));
    }

    private void version(Context ctx) {
        String ref = ctx.pathParam("name") + ":" + ctx.pathParam("version");
        ModelVersion v = facts.card(ref);
        Provenance p = facts.provenance(ref);
        EvalResult eval = facts.evaluation(ref).orElse(null);
        List<Fact> card = List.of(new Fact("Task", v.task() == null ? "" : v.task().wireName()),
                new Fact("Input shape", String.valueOf(v.inputShape())),
                new Fact("Parameters", String.format(Locale.ROOT, "%,d", v.parameters())),
                new Fact("Registered", v.createdAt()), new Fact("Parameters SHA-256", v.parametersSha256()));
        List<Fact> metrics = new ArrayList<>();
        if (v.metrics() != null) v.metrics().forEach((k, m) -> metrics.add(new Fact(k, RunPages.number(m))));
        List<Fact> provenance = new ArrayList<>();
        if (p != null) {
            if (p.dataset() != null) {
                provenance.add(new Fact("Data set", p.dataset().name() + ":" + p.dataset().version()));
                provenance.add(new Fact("Data set SHA-256", p.dataset().sha256()));
            }
            if (p.imported() != null) provenance.add(new Fact("Imported from", String.valueOf(p.imported())));
            provenance.add(new Fact("Seed", Long.toString(p.seed())));
            provenance.add(new Fact("Epochs", Integer.toString(p.epochsCompleted())));
            provenance.add(new Fact("Trained", p.startedAt() + " to " + p.finishedAt()));
            if (p.code() != null) provenance.add(new Fact("Code", p.code().version() + " commit " + p.code().commit()));
        }
        List<Link> parents = VersionFacts.parents(p).stream().map(r -> new Link(r, href(r))).toList();
        List<ClassRow> perClass = eval == null || eval.perClass() == null ? List.of() : eval.perClass().stream()
                .map(c -> new ClassRow(c.label(), RunPages.number(c.precision()), RunPages.number(c.recall()),
                        RunPages.number(c.f1()), c.support())).toList();
        pages.render(ctx, "ops/model.jte", new Version(pages.frame(ctx, "Model " + ref), ref, card,
                v.classes() == null ? List.of() : v.classes(), metrics, provenance, parents, v.runId(),
                p == null || p.spec() == null ? null : Json.pretty(p.spec()), perClass,
                eval == null ? null : RunPages.confusion(eval), refs()));
    }

    private List<String> refs() {
        return OperatorPages.newestFirst(registry.list()).stream().map(ModelVersion::ref).toList();
    }

    /** The page of version {@code ref} (NAME:VERSION). */
    static String href(String ref) {
        return LIST + "/" + ref.replace(':', '/');
    }
}
