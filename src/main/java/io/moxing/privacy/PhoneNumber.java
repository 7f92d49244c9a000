package io.moxing.privacy;

/**
 * Phone numbers. Mainland-China mobiles: {@code 1[3-9]} and 9 more digits, in one run or grouped
 * 3-4-4, after an optional {@code +86}, {@code 0086} or {@code 86}. North American numbers written as
 * {@code (415) 555-0199}. Any other number only in international form: a {@code +} or the {@code 00}
 * that dials out of most countries, then 8 to 15 digits in groups joined by single spaces or hyphens,
 * with an area code perhaps in parentheses ({@code +1 (415) 555-2671}). Without the {@code +} a
 * string of digits is as likely a year, a price or an order number, so plain 4-7 digit numbers and
 * local numbers are left alone. A number that is part of a longer run of digits or digit groups is
 * not a phone number.
 */
final class PhoneNumber {
    static final Detector MOBILE = Detector.of(PiiKind.PHONE,
            "(?=[0-9+])(?<![0-9A-Za-z+])(?<![0-9][ -])(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d"
                    + "(?:\\d{8}(?![0-9A-Za-z])|([ -])\\d{4}\\1\\d{4}(?![0-9A-Za-z])(?![ -]\\d))");
    static final Detector INTERNATIONAL = Detector.of(PiiKind.PHONE,
            "(?=\\+|00)(?<![0-9A-Za-z+])(?<![0-9][ -])(?:\\+|00)[1-9]\\d{0,14}(?:(?:[ -]|[ -]?\\(\\d{1,6}\\)[ -]?)\\d{1,14}){0,7}"
                    + "(?![0-9A-Za-z])(?![ -]\\(?\\d)",
            PhoneNumber::hasInternationalLength);
    /** North American numbers written with the area code in parentheses: {@code (415) 555-0199}. */
    static final Detector NORTH_AMERICAN = Detector.of(PiiKind.PHONE,
            "(?=\\()(?<![0-9A-Za-z+])\\([2-9]\\d{2}\\) ?[2-9]\\d{2}-\\d{4}(?![0-9A-Za-z])(?![ -]\\d)");

    private PhoneNumber() {}

    /** E.164 allows at most 15 digits, country code included; fewer than 8 is no subscriber's number. */
    static boolean hasInternationalLength(String candidate) {
        // the 00 that dials out is not part of the number
        long digits = candidate.chars().filter(c -> c >= '0' && c <= '9').count() - (candidate.startsWith("00") ? 2 : 0);
        return digits >= 8 && digits <= 15;
    }
}
