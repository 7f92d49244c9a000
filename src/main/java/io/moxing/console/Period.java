package io.moxing.console;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The days a page covers, chosen with two date fields ({@code ?from=2026-11-01&to=2026-11-30}, both inclusive, UTC as
 * the ledger's days are); by default this month up to today.
 */
record Period(LocalDate from, LocalDate to) {
    /** The longest period a page sums: a year of days is already 366 bars. */
    static final int MAX_DAYS = 366;

    static Period of(Context ctx) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = date(ctx, "from", today.withDayOfMonth(1));
        LocalDate to = date(ctx, "to", today);
        if (to.isBefore(from)) throw invalid("the period ends (" + to + ") before it starts (" + from + "); swap the dates");
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw invalid("a period of more than " + MAX_DAYS + " days is too long for one page; choose a shorter one");
        }
        return new Period(from, to);
    }

    long fromMs() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The end, exclusive: the start of the day after {@code to}. */
    long toMs() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static LocalDate date(Context ctx, String name, LocalDate otherwise) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) return otherwise;
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw invalid("'" + text + "' is not a date; write it as 2026-11-30");
        }
    }

    private static ConsoleError invalid(String message) {
        return new ConsoleError(400, "invalid_field", message);
    }
}
