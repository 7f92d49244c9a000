package io.moxing.cli;

import io.moxing.billing.BillingAdmin;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import picocli.CommandLine.Option;

/** Options every billing command shares. */
final class BillingOptions {
    @Option(names = "--db", description = "postgresql://USER:PASSWORD@HOST:PORT/DB (default: SQLite under the data directory).")
    String db;
    @Option(names = "--json", description = "Print the result as one JSON object on the last line.") boolean json;

    BillingAdmin billing() {
        return SqlBilling.open(Database.open(db, Main.home().database()));
    }

    Output out() {
        return new Output(System.out, json);
    }
}
