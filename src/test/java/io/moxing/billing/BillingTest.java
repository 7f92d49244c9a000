package io.moxing.billing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.TestDatabases;
import io.moxing.core.UserException;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The business layer on a real SQLite file and a real PostgreSQL server: invoices computed by hand for
 * each plan kind and for plan changes mid-period, immutability, credit notes, idempotent metering,
 * usage queries, secrets never stored in clear, the audit chain, and unit economics.
 */
class BillingTest {
    @TempDir static Path tmp;
    private static final Actor ADMIN = new Actor("test", "junit");
    private static final long AUG_20 = ms("2026-08-20T00:00:00Z");
    private static final long NOW = ms("2026-11-22T12:00:00Z");

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static BillingAdmin billing(Database db) {
        BillingAdmin b = SqlBilling.open(db);
        b.createPlan(ADMIN, Plan.free("free", 1000, 10, 10));
        b.createPlan(ADMIN, Plan.subscription("pro", "USD", new BigDecimal("49.00"), 1000, new BigDecimal("0.002")));
        b.createPlan(ADMIN, Plan.payPerUse("ppu", "USD", new BigDecimal("0.40"), new BigDecimal("0.10"), new BigDecimal("0.30"),
                new BigDecimal("0.02")));
        return b;
    }

    /** A charged (or failed) request of the tenant at the instant, with the given usage. */
    private static UsageRecord use(String tenant, String at, int units, int tokensIn, int tokensOut, long computeUs, boolean charged,
                                   String idempotencyKey) {
        return new UsageRecord(UUID.randomUUID().toString(), tenant, "k-" + tenant, "any", "cnn-28", 1, charged ? units : 0, tokensIn,
                tokensOut, computeUs, 4, charged ? 200 : 500, charged, ms(at), idempotencyKey);
    }

    private static UsageRecord onPpu(UsageRecord r) {
        return new UsageRecord(r.requestId(), r.tenantId(), r.keyId(), "ppu", r.model(), r.version(), r.units(), r.tokensIn(),
                r.tokensOut(), r.computeUs(), r.batchSize(), r.status(), r.charged(), r.atMs(), r.idempotencyKey());
    }

    private static void append(BillingAdmin b, UsageRecord... records) {
        b.ledger().append(List.of(records));
    }

    private static List<String> amounts(Invoice i) {
        return i.lines().stream().map(l -> l.amount().toPlainString()).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void invoicesEqualUsageTimesPriceForEachPlanKind(String kind) {
        BillingAdmin b = billing(TestDatabases.fresh(kind, tmp));
        BillingPeriod september = BillingPeriod.parse("2026-09");
        // free: three requests served, one failed on our side (not charged), one in August (another period)
        b.createTenant(ADMIN, "f", "Free Co", "free", AUG_20);
        append(b, use("f", "2026-09-01T00:00:00Z", 1, 0, 0, 900, true, null), use("f", "2026-09-10T00:00:00Z", 1, 0, 0, 900, true, null),
                use("f", "2026-09-30T23:59:59.999Z", 1, 0, 0, 900, true, null), use("f", "2026-09-12T00:00:00Z", 1, 0, 0, 900, false, null),
                use("f", "2026-08-31T23:59:59.999Z", 1, 0, 0, 900, true, null));
        Invoice free = b.draft("f", september);
        assertEquals(List.of("0.00"), amounts(free));
        assertEquals(new BigDecimal("3"), free.lines().get(0).quantity());
        assertEquals("0.00", free.total().toPlainString());

        // subscription: 49.00 a month with 1,000 included; 1,250 used -> 250 overage at 0.002 = 0.50
        b.createTenant(ADMIN, "s", "Sub Co", "pro", AUG_20);
        for (int i = 0; i < 5; i++) append(b, use("s", "2026-09-0" + (i + 1) + "T10:00:00Z", 250, 0, 0, 1000, true, null));
        Invoice sub = b.draft("s", september);
        assertEquals(List.of("49.00", "0.00", "0.50"), amounts(sub));
        assertEquals("49.50", sub.total().toPlainString());

        // pay-per-use: 2,500 predictions x 0.40/1000 = 1.00; 12,345 prompt tokens x 0.10/1000 = 1.2345 -> 1.23;
        // 6,789 completion tokens x 0.30/1000 = 2.0367 -> 2.04; 7.25 compute-seconds x 0.02 = 0.145 -> 0.15
        b.createTenant(ADMIN, "p", "Pay Co", "ppu", AUG_20);
        append(b, use("p", "2026-09-03T00:00:00Z", 2000, 12000, 6000, 7_000_000, true, null),
                use("p", "2026-09-04T00:00:00Z", 500, 345, 789, 250_000, true, null));
        Invoice ppu = b.draft("p", september);
        assertEquals(List.of("1.00", "1.23", "2.04", "0.15"), amounts(ppu));
        assertEquals("4.42", ppu.total().toPlainString());
        assertEquals(ppu.lines().stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add), ppu.total());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aMidPeriodPlanChangeIsProRated(String kind) {
        BillingAdmin b = billing(TestDatabases.fresh(kind, tmp));
        BillingPeriod september = BillingPeriod.parse("2026-09");
        // free for the first 15 of 30 days, pro for the other 15: half the fee, half the included units
        b.createTenant(ADMIN, "m", null, "free", AUG_20);
        b.changePlan(ADMIN, "m", "pro", ms("2026-09-16T00:00:00Z"));
        for (int i = 0; i < 40; i++) append(b, use("m", "2026-09-15T12:00:00Z", 1, 0, 0, 100, true, null));
        append(b, use("m", "2026-09-16T00:00:00Z", 600, 0, 0, 100, true, null));
        Invoice half = b.draft("m", september);
        // free: 40 requests at 0; pro: 49.00 x 1/2 = 24.50, included 500, overage 100 x 0.002 = 0.20
        assertEquals(List.of("0.00", "24.50", "0.00", "0.20"), amounts(half));
        assertEquals("24.70", half.total().toPlainString());

        // pro until 21 Sep 08:00 (20 d 8 h = 488 of 720 hours), then pay-per-use:
        // fee 49.00 x 488/720 = 33.2111 -> 33.21; included floor(1000 x 488/720) = 677; 700 used -> 23 x 0.002 = 0.046 -> 0.05;
        // then 1,000 predictions x 0.40/1000 = 0.40
        b.createTenant(ADMIN, "m2", null, "pro", AUG_20);
        b.changePlan(ADMIN, "m2", "ppu", ms("2026-09-21T08:00:00Z"));
        append(b, use("m2", "2026-09-21T07:59:59.999Z", 700, 0, 0, 0, true, null),
                use("m2", "2026-09-21T08:00:00Z", 1000, 0, 0, 0, true, null));
        Invoice split = b.draft("m2", september);
        assertEquals(List.of("33.21", "0.00", "0.05", "0.40", "0.00", "0.00", "0.00"), amounts(split));
        assertTrue(split.lines().get(1).description().contains("of 677"), split.lines().get(1).description());
        assertEquals("33.66", split.total().toPlainString());
        assertThrows(UserException.class, () -> b.changePlan(ADMIN, "m2", "pro", ms("2026-09-01T00:00:00Z")),
                "a change cannot go back before the last one");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void issuedInvoicesNeverChangeAndCorrectionsAreCreditNotes(String kind) {
        BillingAdmin b = billing(TestDatabases.fresh(kind, tmp));
        b.createTenant(ADMIN, "s", null, "pro", AUG_20);
        append(b, use("s", "2026-09-02T00:00:00Z", 1100, 0, 0, 0, true, null));
        assertThrows(UserException.class, () -> b.issue(ADMIN, "s", BillingPeriod.parse("2026-11"), NOW), "the period is still open");
        Invoice issued = b.issue(ADMIN, "s", BillingPeriod.parse("2026-09"), NOW);
        assertEquals("INV-2026-09-s", issued.id());
        assertEquals("49.20", issued.total().toPlainString());
        // usage arriving late, and a second issue: the invoice stays as issued
        append(b, use("s", "2026-09-03T00:00:00Z", 5000, 0, 0, 0, true, null));
        assertEquals(issued, b.issue(ADMIN, "s", BillingPeriod.parse("2026-09"), NOW));
        assertEquals(issued, b.invoices().invoice("INV-2026-09-s").orElseThrow());
        assertThrows(UserException.class, () -> b.changePlan(ADMIN, "s", "free", ms("2026-09-20T00:00:00Z")),
                "a plan change cannot reach into an invoiced period");
        CreditNote note = b.credit(ADMIN, issued.id(), new BigDecimal("9.20"), "outage on 2 Sep", NOW);
        assertEquals("9.20", note.amount().toPlainString());
        assertThrows(UserException.class, () -> b.credit(ADMIN, issued.id(), new BigDecimal("40.01"), "too much", NOW));
        b.credit(ADMIN, issued.id(), new BigDecimal("40.00"), "rest", NOW);
        assertEquals(2, b.invoices().creditNotes(issued.id()).size());
        assertTrue(InvoicePage.render(issued, b.invoices().creditNotes(issued.id())).contains("49.20 USD"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRetriedRequestIsChargedOnceAndFailuresNever(String kind) {
        BillingAdmin b = billing(TestDatabases.fresh(kind, tmp));
        b.createTenant(ADMIN, "p", null, "ppu", AUG_20);
        b.createTenant(ADMIN, "q", null, "ppu", AUG_20);
        boolean[] written = b.ledger().append(List.of(
                use("p", "2026-11-02T00:00:00Z", 1, 0, 0, 10, false, "retry-1"),   // failed on our side: not charged
                use("p", "2026-11-02T00:00:01Z", 1, 0, 0, 10, true, "retry-1"),    // the retry that succeeded
                use("p", "2026-11-02T00:00:02Z", 1, 0, 0, 10, true, "retry-1"),    // the same request retried again
                use("q", "2026-11-02T00:00:02Z", 1, 0, 0, 10, true, "retry-1")));  // another tenant's key of the same text
        assertArrayEquals(new boolean[] {true, true, false, true}, written);
        assertFalse(b.ledger().append(List.of(use("p", "2026-11-03T00:00:00Z", 1, 0, 0, 10, true, "retry-1")))[0]);
        assertEquals(1, b.ledger().totals("p", 0, Long.MAX_VALUE).requests());
        var byDay = b.ledger().query(new UsageQuery("p", null, null, "day", 0, Long.MAX_VALUE));
        assertEquals(1, byDay.size());
        assertEquals(2, byDay.get(0).requests(), "the failed attempt is recorded, uncharged");
        assertEquals(1, byDay.get(0).charged());
        assertEquals(List.of("p", "q"), b.ledger().query(new UsageQuery(null, null, null, "tenant", 0, Long.MAX_VALUE)).stream()
                .map(UsageQuery.Row::group).toList());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void secretsAreStoredOnlyAsSaltedHashes(String kind) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "secrets");
        Database db = TestDatabases.fresh(kind, dir);
        BillingAdmin b = billing(db);
        b.createTenant(ADMIN, "a", null, "free", AUG_20);
        var key = b.issueKey(ADMIN, "a", "ci", Set.of("cnn-28"), 2.0, 4, null, NOW);
        String admin = b.firstAdminToken(NOW).orElseThrow();
        assertTrue(b.firstAdminToken(NOW).isEmpty(), "the first token is made once");
        // the secret is what follows the public id (base64url, so it may itself hold '_' or '-')
        String keySecret = key.plaintext().substring(("mx_live_" + key.key().id() + "_").length());
        String adminSecret = admin.substring(admin.indexOf('_', "mx_admin_".length()) + 1);
        assertEquals(43, keySecret.length());
        assertEquals(43, adminSecret.length());
        assertTrue(key.plaintext().startsWith("mx_live_" + key.key().id() + "_"));
        assertFalse(key.toString().contains(keySecret));
        StringBuilder everything = new StringBuilder();
        db.transaction(c -> {
            for (String table : List.of("api_keys", "admin_tokens", "audit_log", "tenants", "plans", "settings")) {
                try (var r = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    while (r.next()) for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) everything.append(r.getString(i)).append('|');
                }
            }
            return null;
        });
        assertTrue(everything.toString().contains(key.key().id()), "the key's public id is stored");
        assertFalse(everything.toString().contains(keySecret), "the key's secret is not");
        assertFalse(everything.toString().contains(adminSecret), "the admin token's secret is not");
        if (kind.equals("sqlite")) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(bytes.contains(keySecret) || bytes.contains(adminSecret), f + " holds a secret");
                }
            }
        }
        // and the stored hashes verify what was issued, and nothing else
        assertTrue(b.admin(admin).isPresent());
        assertTrue(b.admin(admin.substring(0, admin.length() - 1) + "x").isEmpty());
        String next = b.newAdminToken(ADMIN, NOW);
        assertTrue(b.admin(admin).isEmpty(), "a new admin token revokes the old one");
        assertTrue(b.admin(next).isPresent());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theAuditLogShowsEveryChangeAndAnyTampering(String kind) {
        Database db = TestDatabases.fresh(kind, tmp);
        BillingAdmin b = billing(db);
        b.createTenant(ADMIN, "a", null, "free", AUG_20);
        var key = b.issueKey(ADMIN, "a", null, null, null, null, null, NOW);
        b.revokeKey(ADMIN, key.plaintext(), NOW);
        List<AuditEntry> entries = b.audit().recent(100);
        assertEquals(List.of("key.revoke", "key.create", "tenant.create", "plan.create", "plan.create", "plan.create"),
                entries.stream().map(AuditEntry::action).toList());
        assertTrue(entries.stream().allMatch(e -> e.actor().equals("test") && e.source().equals("junit")));
        assertEquals(-1, b.audit().firstBroken());
        db.transaction(c -> c.createStatement().executeUpdate("UPDATE audit_log SET target = 'someone-else' WHERE seq = 4"));
        assertEquals(4, b.audit().firstBroken());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void unitEconomicsFromMeasuredComputeAndBilledRevenue(String kind) {
        BillingAdmin b = billing(TestDatabases.fresh(kind, tmp));
        b.createTenant(ADMIN, "p", null, "ppu", AUG_20);
        // 10 requests, 2,500 predictions, 7.25 s of compute in all: billed 4.42 (see the pay-per-use invoice above)
        append(b, onPpu(use("p", "2026-09-03T00:00:00Z", 2000, 12000, 6000, 7_000_000, true, null)),
                onPpu(use("p", "2026-09-04T00:00:00Z", 500, 345, 789, 250_000, true, null)));
        for (int i = 0; i < 8; i++) append(b, onPpu(use("p", "2026-09-05T00:00:00Z", 0, 0, 0, 0, true, null)));
        b.setCosts(ADMIN, new Costs("USD", new BigDecimal("0.36"), "cpu", new BigDecimal("100")));
        Economics.Report r = b.economics(BillingPeriod.parse("2026-09"));
        assertEquals(1, r.rows().size());
        Economics.Row row = r.rows().get(0);
        assertEquals(10, row.requests());
        // 7.25 s at 0.36/hour = 0.000725 for 10 requests -> 0.0725 per 1,000; 4.42 for 10 -> 442 per 1,000
        assertEquals(0, new BigDecimal("0.0725").compareTo(row.costPer1000()), row.costPer1000().toPlainString());
        assertEquals(0, new BigDecimal("442").compareTo(row.pricePer1000()));
        assertEquals(0, new BigDecimal("99.98").compareTo(row.grossMarginPercent()));
        // fixed 100 / (0.442 - 0.0000725) per request = 226.28 -> 227 requests a month
        assertEquals(227L, r.breakEvenRequestsPerMonth());
        // the fixed share falls with volume: at 1,000 requests a month each carries 0.10 of it -> 100.0725 per 1,000
        assertEquals(0, new BigDecimal("100.0725").compareTo(r.volumes().get(0).costPer1000()));
        assertTrue(r.volumes().get(5).costPer1000().compareTo(r.volumes().get(0).costPer1000()) < 0);
        assertEquals(1, r.batches().size());
        assertTrue(EconomicsPage.render(r).contains("Economy of scale"));
        assertNull(Economics.report("x", Costs.DEFAULT, List.of(), List.of(), java.util.Map.of()).breakEvenRequestsPerMonth());
    }
}
