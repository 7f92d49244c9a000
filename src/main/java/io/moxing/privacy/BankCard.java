package io.moxing.privacy;

/**
 * Payment card numbers: 13 to 19 digits that pass the Luhn check, written in one run or in groups
 * separated by single spaces or single hyphens (the same separator throughout: {@code 4111 1111 1111
 * 1111}, {@code 6222-0212-3456-7890-128}, Amex's 4-6-5). The first digit is 2 to 6, the ISO/IEC 7812
 * industries of payment cards (2 and 5 Mastercard, 3 Amex, JCB and Diners, 4 Visa, 6 UnionPay and
 * Discover): it keeps phone numbers ({@code 0086...}, {@code 86...}, {@code 1...}) and most order
 * numbers out, where a Luhn check alone would let one in ten through. A number inside a longer run of
 * digits, letters or digit groups is not a card.
 */
final class BankCard {
    static final Detector CONTIGUOUS = Detector.of(PiiKind.BANK_CARD,
            "(?=[2-6])(?<![0-9A-Za-z+])[2-6]\\d{12,18}(?![0-9A-Za-z])", BankCard::isValid);
    static final Detector GROUPED = Detector.of(PiiKind.BANK_CARD,
            "(?=[2-6])(?<![0-9A-Za-z+])(?<![0-9][ -])[2-6]\\d{3}([ -])\\d{2,6}(?:\\1\\d{2,6}){1,3}(?![0-9A-Za-z])(?!\\1\\d)",
            BankCard::isValid);

    private BankCard() {}

    static boolean isValid(String candidate) {
        String digits = candidate.replace(" ", "").replace("-", "");
        return digits.length() >= 13 && digits.length() <= 19 && luhn(digits);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
