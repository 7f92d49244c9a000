package io.moxing.privacy;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Chinese resident identity numbers (GB 11643): 17 digits and a check character, a digit or X. Only
 * numbers whose check character is right (ISO 7064 MOD 11-2) and whose positions 7-14 are a real
 * birth date between 1900 and today count: a random 18-digit number passes both about once in
 * 24,000 tries.
 */
final class ResidentId {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";
    private static final String PATTERN = "(?=\\d)(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])";

    private ResidentId() {}

    static Detector detector(LocalDate today) {
        return Detector.of(PiiKind.CN_RESIDENT_ID, PATTERN, id -> isValid(id, today));
    }

    static boolean isValid(String id, LocalDate today) {
        return Character.toUpperCase(id.charAt(17)) == checkCharacter(id)
                && plausibleBirthDate(id.substring(6, 14), today);
    }

    /** The check character of the first 17 digits. */
    static char checkCharacter(String id) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    private static boolean plausibleBirthDate(String yyyymmdd, LocalDate today) {
        int year = Integer.parseInt(yyyymmdd.substring(0, 4));
        int month = Integer.parseInt(yyyymmdd.substring(4, 6));
        int day = Integer.parseInt(yyyymmdd.substring(6, 8));
        if (year < 1900 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        return !LocalDate.of(year, month, day).isAfter(today);
    }
}
