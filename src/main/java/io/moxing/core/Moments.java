package io.moxing.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.DateTimeException;

/** Moments people type: a day (2026-11-16, its start in UTC) or an instant (2026-11-16T08:00:00Z). */
public final class Moments {
    private Moments() {}

    /** The first and last years a moment may name: beyond them epoch milliseconds and month arithmetic overflow. */
    public static final int FIRST_YEAR = 1970;
    public static final int LAST_YEAR = 9999;

    /** Epoch milliseconds of {@code text}; a {@link UserException} naming {@code field} when it is neither form. */
    public static long parse(String field, String text) {
        Instant at = instant(text);
        if (at == null) {
            throw new UserException("invalid_field", field + " '" + text
                    + "' must be a day YYYY-MM-DD or an instant such as 2026-11-16T08:00:00Z");
        }
        int year = at.atZone(ZoneOffset.UTC).getYear();
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new UserException("invalid_field", field + " '" + text + "' must lie in the years " + FIRST_YEAR + " to "
                    + LAST_YEAR);
        }
        return at.toEpochMilli();
    }

    private static Instant instant(String text) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }
}
