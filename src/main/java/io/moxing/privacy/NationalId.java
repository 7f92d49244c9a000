package io.moxing.privacy;

/**
 * United States Social Security numbers, only in their written form {@code AAA-GG-SSSS} (hyphens, or single
 * spaces): nine digits in a row are as likely an order number. The number must be one the SSA issues: area not
 * 000, 666 or 900-999, group not 00, serial not 0000 (which also keeps dates such as 2026-11-2026 out).
 */
final class NationalId {
    static final Detector US_SSN = Detector.of(PiiKind.US_SSN,
            "(?=\\d)(?<![0-9A-Za-z-])(?<![0-9][ -])\\d{3}([ -])\\d{2}\\1\\d{4}(?![0-9A-Za-z])(?![ -]\\d)", NationalId::isIssued);

    private NationalId() {}

    static boolean isIssued(String candidate) {
        int area = Integer.parseInt(candidate.substring(0, 3));
        return area != 0 && area != 666 && area < 900 && !candidate.startsWith("00", 4) && !candidate.endsWith("0000");
    }
}
