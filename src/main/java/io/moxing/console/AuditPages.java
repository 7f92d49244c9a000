package io.moxing.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.moxing.billing.AuditEntry;
import io.moxing.billing.AuditLog;
import io.moxing.billing.AuditQuery;
import io.moxing.console.view.SystemViews.Audit;
import io.moxing.console.view.SystemViews.AuditRow;
import java.util.List;

/**
 * The audit log, newest first: filtered by actor (a prefix: "admin:" is every admin token), action and period in the
 * database, paged, with the result of checking its hash chain, as {@code moxing audit} reports it.
 */
final class AuditPages {
    static final String PATH = "/console/ops/audit";
    /** Actions offered in the filter's list; any other can be typed. */
    static final List<String> ACTIONS = List.of("admin_token.create", "console.sign_in", "console.sign_in_failed",
            "costs.set", "deployment.owner", "deployment.put", "deployment.remove", "deployment.rollback", "invoice.credit",
            "invoice.issue", "job.cancel", "job.submit", "key.create", "key.revoke", "plan.create", "tenant.create",
            "tenant.plan");
    private final AuditLog audit;
    private final Pages pages;

    AuditPages(AuditLog audit, Pages pages) {
        this.audit = audit;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, this::audit);
    }

    private void audit(Context ctx) {
        Period period = Period.of(ctx);
        Paging paging = Paging.of(ctx);
        String actor = ctx.queryParam("actor"), action = ctx.queryParam("action");
        List<AuditEntry> probed = audit.find(new AuditQuery(actor, action, period.fromMs(), period.toMs(), paging.offset(),
                paging.probe()));
        List<AuditRow> rows = paging.shown(probed).stream().map(e -> new AuditRow(e.seq(), e.at(), e.actor(), e.source(),
                e.action(), e.target(), e.detail())).toList();
        long broken = audit.firstBroken();
        String chain = broken < 0 ? "Hash chain intact: every entry follows from the one before it."
                : "Hash chain BROKEN at entry " + broken + ": the log was edited after it was written.";
        pages.render(ctx, "ops/audit.jte", new Audit(pages.frame(ctx, "Audit log"), period.from().toString(),
                period.to().toString(), actor == null ? "" : actor, action == null ? "" : action, ACTIONS, broken < 0, chain,
                rows, paging.pager(ctx, PATH, probed)));
    }
}
