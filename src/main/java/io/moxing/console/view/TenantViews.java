package io.moxing.console.view;

import java.util.List;

/** A tenant's pages: its dashboard, API keys, invoices, models and the playground. */
public final class TenantViews {
    private TenantViews() {}

    /**
     * @param limitLabel what the plan limits this month ("requests of the monthly quota", "predictions included"), or
     *                   null when nothing is limited
     * @param used       how much of that limit is used
     * @param percent    used as a percentage of the limit (0-100)
     * @param days       the days of this month so far (chart labels), comma-separated
     * @param perDay     requests charged on each of those days, comma-separated
     */
    public record Dashboard(Frame frame, String plan, String planKind, long requests, long predictions, long tokensIn,
                            long tokensOut, String limitLabel, long limit, long used, int percent, String spend,
                            String currency, String days, String perDay) {}

    /**
     * @param models   the deployments the tenant may call, for restricting a new key
     * @param newKey   a key just created, shown once; null otherwise
     */
    public record Keys(Frame frame, List<KeyRow> keys, List<String> models, NewKey newKey) {}

    /** @param state live, expired or revoked */
    public record KeyRow(String id, String prefix, String name, String models, String expiresAt, String state,
                         boolean console) {}

    public record NewKey(String prefix, String plaintext) {}

    public record Invoices(Frame frame, List<InvoiceRow> invoices, String draftTotal, String currency) {}

    public record InvoiceRow(String id, String period, String total, String currency, String issuedAt) {}

    public record Models(Frame frame, List<ModelEntry> models) {}

    /** @param kind what it answers: image classes, rows, text or embeddings; {@code curl} a call that works as shown */
    public record ModelEntry(String name, String kind, String version, String curl, String slug) {}

    /** @param imageModels classifiers of images; {@code languageModels} deployments that write text */
    public record Playground(Frame frame, List<String> imageModels, List<String> languageModels) {}
}
