package io.moxing.privacy;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Replaces personal data in free text with placeholders ({@code [EMAIL]}, {@code [PHONE]}, {@code [ID]},
 * {@code [CARD]}, {@code [ACCOUNT]}, {@code [IP]}) and counts them. Every detector scans the original text, never a
 * partly redacted one, so a placeholder is never looked at again; where two candidates overlap, the
 * one of the earlier detector wins. The order: e-mail first (its local part may be a phone number,
 * {@code 13800138000@qq.com}), then resident IDs (an 18-digit number with the right check character
 * and a birth date is an ID even when it also passes Luhn), bank cards, IBANs, US social security numbers,
 * phone numbers, and IPv6
 * before IPv4 ({@code ::ffff:192.0.2.128} is one IPv6 address, not an IPv4 one with a prefix left
 * behind). Full-width forms ({@code ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ}, {@code １３８００１３８０００}, common in CJK
 * text) are read as their ASCII letters, digits and signs: the detectors scan a copy with each such character
 * replaced by its ASCII twin, one character for one, so what they find lies at the same places in the original.
 * Stateless and safe to share between threads.
 */
public final class PiiRedactor {
    private final List<Detector> detectors;

    public PiiRedactor() {
        this(LocalDate.now());
    }

    /** @param today the latest birth date an ID number may carry */
    PiiRedactor(LocalDate today) {
        detectors = List.of(EmailAddress.DETECTOR, ResidentId.detector(today), BankCard.CONTIGUOUS, BankCard.GROUPED,
                Iban.DETECTOR, NationalId.US_SSN, PhoneNumber.MOBILE, PhoneNumber.INTERNATIONAL, PhoneNumber.NORTH_AMERICAN,
                IpAddress.V6, IpAddress.V4);
    }

    public Redacted redact(String text) {
        TreeMap<Integer, Span> taken = new TreeMap<>();
        String scanned = halfWidth(text);
        for (Detector detector : detectors) {
            Matcher m = detector.candidates().matcher(scanned);
            int g = detector.group();
            while (m.find()) {
                if (isFree(taken, m.start(g), m.end(g)) && detector.check().test(m.group(g))) {
                    taken.put(m.start(g), new Span(m.start(g), m.end(g), detector.kind()));
                }
            }
        }
        if (taken.isEmpty()) {
            return new Redacted(text, Map.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        Map<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
        int at = 0;
        for (Span span : taken.values()) {
            out.append(text, at, span.start()).append(span.kind().placeholder());
            counts.merge(span.kind(), 1, Integer::sum);
            at = span.end();
        }
        return new Redacted(out.append(text, at, text.length()).toString(), counts);
    }

    /**
     * {@code text} with its full-width forms (U+FF01..U+FF5E) as the ASCII characters they stand for and the
     * ideographic space as a space, the same length; {@code text} itself when it has none.
     */
    static String halfWidth(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char ascii = c >= '\uFF01' && c <= '\uFF5E' ? (char) (c - 0xFEE0) : c == '\u3000' ? ' ' : c;
            if (ascii != c) {
                if (chars == null) chars = text.toCharArray();
                chars[i] = ascii;
            }
        }
        return chars == null ? text : new String(chars);
    }

    private static boolean isFree(TreeMap<Integer, Span> taken, int start, int end) {
        Map.Entry<Integer, Span> before = taken.floorEntry(start);
        if (before != null && before.getValue().end() > start) {
            return false;
        }
        Integer after = taken.ceilingKey(start);
        return after == null || after >= end;
    }

    private record Span(int start, int end, PiiKind kind) {}
}
