package io.moxing.billing;

import io.moxing.core.UserException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The administration of the business layer, one place for the CLI and the admin API alike: every
 * change is checked, written and entered in the audit log with who made it and from where.
 */
public final class BillingAdmin {
    private final Accounts accounts;
    private final UsageLedger ledger;
    private final InvoiceBook invoices;
    private final AuditLog audit;

    public BillingAdmin(Accounts accounts, UsageLedger ledger, InvoiceBook invoices, AuditLog audit) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.invoices = invoices;
        this.audit = audit;
    }

    public Accounts accounts() {
        return accounts;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public InvoiceBook invoices() {
        return invoices;
    }

    public AuditLog audit() {
        return audit;
    }

    public Plan createPlan(Actor actor, Plan plan) {
        if (!accounts.createPlan(plan)) {
            throw new UserException("plan_exists", "plan '" + plan.name() + "' exists and plans never change; create one under a new name");
        }
        audit.append(actor, "plan.create", plan.name(), io.moxing.core.Json.line(plan));
        return plan;
    }

    public Tenant createTenant(Actor actor, String id, String displayName, String planName, long nowMs) {
        Plan plan = plan(planName);
        Tenant tenant = new Tenant(id, displayName, nowMs);
        if (!accounts.createTenant(tenant)) {
            throw new UserException("tenant_exists", "tenant '" + id + "' exists; see moxing tenants list");
        }
        accounts.assignPlan(new PlanAssignment(id, plan.name(), nowMs));
        audit.append(actor, "tenant.create", id, "plan=" + plan.name());
        return tenant;
    }

    /**
     * Moves the tenant to another plan from {@code atMs} on; the invoice of that period pro-rates both. A
     * change inside a period already invoiced is refused (the invoice cannot change).
     */
    public PlanAssignment changePlan(Actor actor, String tenantId, String planName, long atMs) {
        tenant(tenantId);
        Plan plan = plan(planName);
        List<PlanAssignment> history = accounts.assignments(tenantId);
        PlanAssignment last = history.get(history.size() - 1);
        if (atMs <= last.effectiveFrom()) {
            throw new UserException("invalid_field", "tenant " + tenantId + " is on " + last.plan() + " since "
                    + Instant.ofEpochMilli(last.effectiveFrom()) + "; a change must take effect after that");
        }
        String currency = plan(last.plan()).currency();
        if (!currency.equals(plan.currency())) {
            throw new UserException("invalid_field", "plan " + planName + " is in " + plan.currency() + " but tenant " + tenantId
                    + " is billed in " + currency + "; pick a plan in " + currency);
        }
        String period = BillingPeriod.containing(atMs).toString();
        if (invoices.invoices(tenantId).stream().anyMatch(i -> i.period().compareTo(period) >= 0)) {
            throw new UserException("period_invoiced", "tenant " + tenantId + " is already invoiced for " + period
                    + " or later; a plan change cannot reach back into an issued invoice");
        }
        PlanAssignment a = new PlanAssignment(tenantId, plan.name(), atMs);
        accounts.assignPlan(a);
        audit.append(actor, "tenant.plan", tenantId, "plan=" + plan.name() + " from=" + Instant.ofEpochMilli(atMs));
        return a;
    }

    /** A new key for the tenant; the plaintext is in the result and nowhere else, ever. */
    public record NewKey(ApiKey key, String plaintext) {
        @Override
        public String toString() {
            return "NewKey[" + key.id() + "]";
        }
    }

    public NewKey issueKey(Actor actor, String tenantId, String name, Set<String> models, Double ratePerSecond, Integer burst,
                           Long expiresAt, long nowMs) {
        return issueKey(actor, tenantId, name, models, ratePerSecond, burst, RateUnit.REQUESTS, expiresAt, nowMs);
    }

    /** A new key whose own rate (and burst) counts {@code unit}: requests, or predictions (samples). */
    public NewKey issueKey(Actor actor, String tenantId, String name, Set<String> models, Double ratePerSecond, Integer burst,
                           RateUnit unit, Long expiresAt, long nowMs) {
        tenant(tenantId);
        if (ratePerSecond != null && !(ratePerSecond > 0)) {
            throw new UserException("invalid_field", "rate_per_second must be a positive number");
        }
        if (burst != null && burst < 1) throw new UserException("invalid_field", "burst must be at least 1");
        if (expiresAt != null && expiresAt <= nowMs) throw new UserException("invalid_field", "expires_at must be in the future");
        Secrets.Issued issued = Secrets.issue(Secrets.KEY_PREFIX);
        ApiKey key = new ApiKey(issued.id(), tenantId, name == null || name.isBlank() ? "key" : name, issued.salt(),
                issued.hash(), models, ratePerSecond, burst, expiresAt, null, nowMs, unit);
        accounts.addKey(key);
        audit.append(actor, "key.create", Secrets.KEY_PREFIX + key.id(), "tenant=" + tenantId + " models=" + key.models()
                + (ratePerSecond == null ? "" : " rate=" + ratePerSecond + " " + unit.name().toLowerCase(java.util.Locale.ROOT) + "/s"));
        return new NewKey(key, issued.plaintext());
    }

    public void revokeKey(Actor actor, String keyId, long nowMs) {
        String id = Secrets.keyId(keyId);
        if (!accounts.revokeKey(id, nowMs)) {
            throw new UserException("unknown_key", "no live API key " + Secrets.KEY_PREFIX + id + "; see moxing keys list");
        }
        audit.append(actor, "key.revoke", Secrets.KEY_PREFIX + id, "");
    }

    public List<ApiKey.View> keys(String tenantId) {
        return accounts.keys().stream().filter(k -> tenantId == null || k.tenantId().equals(tenantId)).map(ApiKey::view).toList();
    }

    /** Makes a deployment private to a tenant (or public again with tenant null). */
    public void own(Actor actor, String deployment, String tenantId) {
        if (tenantId != null) tenant(tenantId);
        accounts.own(deployment, tenantId);
        audit.append(actor, "deployment.owner", deployment, tenantId == null ? "public" : "tenant=" + tenantId);
    }

    /** The invoice the period would get now (not stored). */
    public Invoice draft(String tenantId, BillingPeriod period) {
        tenant(tenantId);
        return InvoiceCalculator.draft(tenantId, period, segments(tenantId, period));
    }

    /** Issues the invoice of a period that has ended; issuing it again returns the one issued. */
    public Invoice issue(Actor actor, String tenantId, BillingPeriod period, long nowMs) {
        Optional<Invoice> existing = invoices.invoice(tenantId, period.toString());
        if (existing.isPresent()) return existing.get();
        if (period.endMs() > nowMs) {
            throw new UserException("period_open", "period " + period + " has not ended; preview it with"
                    + " 'moxing invoices preview " + tenantId + " --period " + period + "'");
        }
        Invoice invoice = draft(tenantId, period).issued("INV-" + period + "-" + tenantId, Instant.ofEpochMilli(nowMs).toString());
        if (!invoices.add(invoice)) return invoices.invoice(tenantId, period.toString()).orElseThrow();
        audit.append(actor, "invoice.issue", invoice.id(), "total=" + invoice.total() + " " + invoice.currency());
        return invoice;
    }

    public CreditNote credit(Actor actor, String invoiceId, BigDecimal amount, String reason, long nowMs) {
        Invoice invoice = invoices.invoice(invoiceId).orElseThrow(() -> new UserException("unknown_invoice",
                "no issued invoice '" + invoiceId + "'; see moxing invoices list"));
        if (amount == null || amount.signum() <= 0) throw new UserException("invalid_field", "amount must be positive");
        int scale = java.util.Currency.getInstance(invoice.currency()).getDefaultFractionDigits();
        if (amount.scale() > scale) {
            throw new UserException("invalid_field", "amount " + amount + " has more decimals than " + invoice.currency() + " allows");
        }
        if (reason == null || reason.isBlank()) throw new UserException("missing_field", "give the reason for the credit note");
        List<CreditNote> prior = invoices.creditNotes(invoiceId);
        BigDecimal credited = prior.stream().map(CreditNote::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (credited.add(amount).compareTo(invoice.total()) > 0) {
            throw new UserException("invalid_field", "credits would exceed the invoice: " + invoice.total() + " "
                    + invoice.currency() + " billed, " + credited + " already credited");
        }
        CreditNote note = new CreditNote("CN-" + invoiceId.replaceFirst("^INV-", "") + "-" + (prior.size() + 1), invoiceId,
                invoice.tenant(), amount.setScale(scale), invoice.currency(), reason, Instant.ofEpochMilli(nowMs).toString());
        invoices.addCreditNote(note);
        audit.append(actor, "invoice.credit", note.id(), "invoice=" + invoiceId + " amount=" + note.amount());
        return note;
    }

    /** Creates the first admin token when there is none; empty when one exists. */
    public Optional<String> firstAdminToken(long nowMs) {
        if (!accounts.adminTokens().isEmpty()) return Optional.empty();
        return Optional.of(newAdminToken(new Actor("system", "first start"), nowMs));
    }

    /** A new admin token (the old ones are revoked); the plaintext is returned once. */
    public String newAdminToken(Actor actor, long nowMs) {
        Secrets.Issued issued = Secrets.issue(Secrets.ADMIN_PREFIX);
        accounts.addAdminToken(new AdminToken(issued.id(), issued.salt(), issued.hash(), nowMs, null));
        audit.append(actor, "admin_token.create", Secrets.ADMIN_PREFIX + issued.id(), "earlier tokens revoked");
        return issued.plaintext();
    }

    /** The live admin token presented, if it is one. */
    public Optional<AdminToken> admin(String presented) {
        Secrets.Presented p = Secrets.parse(Secrets.ADMIN_PREFIX, presented);
        if (p == null) return Optional.empty();
        return accounts.adminTokens().stream()
                .filter(t -> t.revokedAt() == null && t.id().equals(p.id()) && Secrets.matches(p.secret(), t.salt(), t.hash()))
                .findFirst();
    }

    public Costs costs() {
        return accounts.setting("costs").map(s -> io.moxing.core.Json.parse(s, Costs.class)).orElse(Costs.DEFAULT);
    }

    public Costs setCosts(Actor actor, Costs costs) {
        accounts.putSetting("costs", io.moxing.core.Json.line(costs));
        audit.append(actor, "costs.set", "costs", io.moxing.core.Json.line(costs));
        return costs;
    }

    public Economics.Report economics(BillingPeriod period) {
        Map<String, BigDecimal> revenue = new HashMap<>();
        for (Tenant t : accounts.tenants()) {
            Invoice invoice = invoices.invoice(t.id(), period.toString()).orElseGet(() -> draft(t.id(), period));
            invoice.lines().forEach(l -> revenue.merge(l.plan(), l.amount(), BigDecimal::add));
        }
        return Economics.report(period.toString(), costs(), ledger.byPlanAndModel(period.startMs(), period.endMs()),
                ledger.byBatchSize(period.startMs(), period.endMs()), revenue);
    }

    /** The plan segments of the period: a new one starts at each plan change inside it. */
    private List<InvoiceCalculator.Segment> segments(String tenantId, BillingPeriod period) {
        List<PlanAssignment> history = accounts.assignments(tenantId);
        List<InvoiceCalculator.Segment> segments = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            long from = Math.max(history.get(i).effectiveFrom(), period.startMs());
            long to = Math.min(i + 1 < history.size() ? history.get(i + 1).effectiveFrom() : Long.MAX_VALUE, period.endMs());
            if (from >= to) continue;
            segments.add(new InvoiceCalculator.Segment(plan(history.get(i).plan()), from, to, ledger.totals(tenantId, from, to)));
        }
        return segments;
    }

    public Tenant tenant(String id) {
        return accounts.tenant(id).orElseThrow(() -> new UserException("unknown_tenant", "no tenant '" + id
                + "'; see moxing tenants list"));
    }

    public Plan plan(String name) {
        return accounts.plan(name).orElseThrow(() -> new UserException("unknown_plan", "no plan '" + name
                + "'; see moxing plans list"));
    }
}
