package io.moxing.store;

import io.moxing.billing.BillingAdmin;

/** The business layer over one state database. */
public final class SqlBilling {
    private SqlBilling() {}

    public static BillingAdmin open(Database db) {
        return new BillingAdmin(new SqlAccounts(db), new SqlUsage(db), new SqlInvoices(db), new SqlAuditLog(db));
    }
}
