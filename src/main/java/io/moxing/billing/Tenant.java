package io.moxing.billing;

/** A customer of the platform: its keys, private models, usage and invoices belong to it alone. */
public record Tenant(String id, String displayName, long createdAt) {
    public Tenant {
        Names.check("tenant", id);
        if (displayName == null || displayName.isBlank()) displayName = id;
    }
}
