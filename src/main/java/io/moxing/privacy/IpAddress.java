package io.moxing.privacy;

import java.util.regex.Pattern;

/**
 * IP addresses, validated by parsing. IPv4: exactly four decimal parts of 0-255 (so {@code 1.2.3.4.5}
 * and the version {@code 2.7.1} are not addresses). IPv6: groups of 1-4 hex digits, eight of them or
 * fewer around one {@code ::}, optionally ending in an IPv4 address; times such as {@code 12:30:45},
 * {@code ::} alone and {@code ::1} (the loopback, nobody's address) are not, nor is anything without a
 * decimal digit, which keeps code such as {@code a::b} out.
 */
final class IpAddress {
    static final Detector V4 = Detector.of(PiiKind.IPV4,
            "(?=\\d)(?<![0-9A-Za-z.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![0-9A-Za-z]|\\.\\d)", IpAddress::isIpv4);
    /**
     * A run of hex digits, colons and dots with a colon among its first five characters, at most 45
     * long, that starts a run of such characters: were a start after any colon allowed, a megabyte of
     * {@code 1:1:1:} would be scanned 45 characters at a time from every other position. A label
     * glued to it with a colon ({@code IPv6:2001:db8::1}, {@code src:...}) is passed over when it
     * holds a letter that is no hex digit, so it cannot be a group.
     */
    static final Detector V6 = new Detector(PiiKind.IPV6, Pattern.compile(
            "(?=[0-9A-Za-z:])(?<![0-9A-Za-z.:])(?:(?=[0-9A-Za-z]{0,15}[G-Zg-z])(?>[0-9A-Za-z]{1,16}):)?"
                    + "((?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:.]{0,43}(?:[0-9A-Fa-f]|::))(?![0-9A-Za-z]|[.:][0-9A-Za-z:])"),
            1, IpAddress::isIpv6);

    private IpAddress() {}

    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String text) {
        if (text.chars().noneMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int gap = text.indexOf("::");
        if (gap < 0) {
            return groups(text, true) == 8;
        }
        if (text.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int left = groups(text.substring(0, gap), false);
        int right = groups(text.substring(gap + 2), true);
        return left >= 0 && right >= 0 && left + right >= 2 && left + right <= 7;
    }

    /**
     * How many 16-bit groups a colon-separated part holds (an IPv4 ending counts two), or -1 when it
     * is not made of groups.
     */
    private static int groups(String part, boolean holdsTheEnd) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] pieces = part.split(":", -1);
        int count = 0;
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (holdsTheEnd && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                if (!isIpv4(piece)) {
                    return -1;
                }
                count += 2;
            } else if (piece.isEmpty() || piece.length() > 4 || !piece.chars().allMatch(IpAddress::isHexDigit)) {
                return -1;
            } else {
                count++;
            }
        }
        return count;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
