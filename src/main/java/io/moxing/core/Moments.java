package io.moxing.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Moments people type: a day (2026-11-16, its start in UTC) or an instant (2026-11-16T08:00:00Z). */
public final class Moments {
    private Moments() {}

    /** Epoch milliseconds of {@code text}; a {@link UserException} naming {@code field} when it is neither form. */
    public static long parse(String field, String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | NullPointerException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException | NullPointerException e2) {
                throw new UserException("invalid_field", field + " '" + text
                        + "' must be a day YYYY-MM-DD or an instant such as 2026-11-16T08:00:00Z");
            }
        }
    }
}
