package io.moxing.billing;

import io.moxing.core.Moments;
import io.moxing.core.UserException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A billing period: one calendar month in UTC, [start, end) in epoch milliseconds. */
public record BillingPeriod(YearMonth month) {
    public static BillingPeriod parse(String text) {
        YearMonth month;
        try {
            month = YearMonth.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new UserException("invalid_field", "period '" + text + "' must be a month written YYYY-MM, e.g. 2026-11");
        }
        if (month.getYear() < Moments.FIRST_YEAR || month.getYear() > Moments.LAST_YEAR) {
            throw new UserException("invalid_field", "period '" + text + "' must lie in the years " + Moments.FIRST_YEAR
                    + " to " + Moments.LAST_YEAR);
        }
        return new BillingPeriod(month);
    }

    public static BillingPeriod containing(long epochMs) {
        return new BillingPeriod(YearMonth.from(java.time.Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC)));
    }

    public long startMs() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public long endMs() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
