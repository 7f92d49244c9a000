package io.moxing.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A multipart/form-data body (RFC 7578) already read into memory, split into its file parts. The body
 * limit has bounded it before parsing, and the number of parts is bounded here before any part is
 * decoded; every malformation is a 400 that says what is wrong, never an exception from a parser.
 */
final class MultipartForm {
    /** One uploaded file: its form field, file name and bytes (a view into the body). */
    record FilePart(String field, String filename, byte[] body, int offset, int length) {
        byte[] bytes() {
            byte[] b = new byte[length];
            System.arraycopy(body, offset, b, 0, length);
            return b;
        }
    }

    private MultipartForm() {}

    /** The boundary of a multipart/form-data content type, or an ApiError when it has none. */
    static String boundary(String contentType) {
        for (int start = 0; start < contentType.length(); ) {
            int end = segmentEnd(contentType, start);
            String b = valueIfNamed(contentType, start, end, "boundary");
            if (b != null && !b.isEmpty() && b.length() <= 70) return b;
            start = end + 1;
        }
        throw new ApiError(400, "invalid_multipart", "the Content-Type multipart/form-data needs a boundary parameter of 1 to 70"
                + " characters");
    }

    /**
     * The file parts (those with a filename) of {@code body}, in order; more than {@code maxParts} parts of
     * any kind is a 413 before any is looked at further.
     */
    static List<FilePart> files(byte[] body, String contentType, int maxParts) {
        String boundary = boundary(contentType);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] blankLine = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) throw malformed("the boundary does not occur in the body");
        List<FilePart> files = new ArrayList<>();
        int parts = 0;
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (startsWith(body, afterDelimiter, "--")) return files;
            if (!startsWith(body, afterDelimiter, "\r\n")) throw malformed("a boundary line is not followed by CRLF");
            int headersStart = afterDelimiter + 2;
            int headersEnd = indexOf(body, blankLine, headersStart);
            if (headersEnd < 0) throw malformed("part " + (parts + 1) + " has no end of its headers (a blank line)");
            int contentStart = headersEnd + 4;
            int end = indexOf(body, next, contentStart);
            if (end < 0) throw malformed("part " + (parts + 1) + " is not closed by a boundary (the body is truncated?)");
            if (++parts > maxParts) {
                throw new ApiError(413, "too_many_rows", "the form has more than " + maxParts + " parts; this server takes at most "
                        + maxParts + " samples per request (--max-request-rows)");
            }
            String disposition = header(body, headersStart, headersEnd, "content-disposition");
            if (disposition == null) throw malformed("part " + parts + " has no Content-Disposition header");
            String filename = parameter(disposition, "filename");
            if (filename != null) {
                String field = parameter(disposition, "name");
                files.add(new FilePart(field == null ? "" : field, filename, body, contentStart, end - contentStart));
            }
            at = end + 2;
        }
    }

    private static ApiError malformed(String what) {
        return new ApiError(400, "invalid_multipart", "the multipart body is malformed: " + what);
    }

    /** The value of header {@code name} (lower case) among the part's header lines, or null. */
    private static String header(byte[] body, int from, int to, String name) {
        String headers = new String(body, from, to - from, StandardCharsets.UTF_8);
        // line by line without String.split, which compiles its two-character separator as a regex on every call;
        // the colon is looked for within the line only (searching the rest of the block from each line is quadratic)
        for (int start = 0; start < headers.length(); ) {
            int end = headers.indexOf("\r\n", start);
            if (end < 0) end = headers.length();
            int colon = start;
            while (colon < end && headers.charAt(colon) != ':') colon++;
            if (colon > start && colon < end && headers.substring(start, colon).trim().equalsIgnoreCase(name)) {
                return headers.substring(colon + 1, end).trim();
            }
            start = end + 2;
        }
        return null;
    }

    /**
     * A parameter of a Content-Disposition value ({@code name="x"}), unquoted, or null. Read by index, as the boundary
     * is, not with {@code String.split} and trimmed substrings (a few microseconds of every served upload in a
     * profile, DECISIONS.md), giving what those gave: a {@code ;} splits even inside quotes, as it always did.
     */
    static String parameter(String disposition, String name) {
        for (int start = 0; start < disposition.length(); ) {
            int end = segmentEnd(disposition, start);
            String v = valueIfNamed(disposition, start, end, name);
            if (v != null) return v;
            start = end + 1;
        }
        return null;
    }

    /** Where the {@code ;}-separated segment that starts at {@code start} ends. */
    private static int segmentEnd(String header, int start) {
        int end = header.indexOf(';', start);
        return end < 0 ? header.length() : end;
    }

    /** The segment's value, trimmed and unquoted, when it is {@code name=value} (name in any case), else null. */
    private static String valueIfNamed(String header, int start, int end, String name) {
        // the '=' is looked for within the segment only: searching the rest of the header from each segment is quadratic
        int eq = start;
        while (eq < end && header.charAt(eq) != '=') eq++;
        if (eq == end) return null;
        int nameStart = skipSpace(header, start, eq), nameEnd = trimEnd(header, nameStart, eq);
        if (nameEnd - nameStart != name.length() || !header.regionMatches(true, nameStart, name, 0, name.length())) return null;
        int valueStart = skipSpace(header, eq + 1, end), valueEnd = trimEnd(header, valueStart, end);
        if (valueEnd - valueStart >= 2 && header.charAt(valueStart) == '"' && header.charAt(valueEnd - 1) == '"') {
            valueStart++;
            valueEnd--;
        }
        return header.substring(valueStart, valueEnd);
    }

    /** The first index in [from, to) of a character above U+0020 (what {@link String#trim} keeps), or to. */
    private static int skipSpace(String s, int from, int to) {
        while (from < to && s.charAt(from) <= ' ') from++;
        return from;
    }

    /** The end of [from, to) without its trailing characters of U+0020 and below. */
    private static int trimEnd(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) <= ' ') to--;
        return to;
    }

    private static boolean startsWith(byte[] body, int at, String text) {
        if (at + text.length() > body.length) return false;
        for (int i = 0; i < text.length(); i++) if (body[at + i] != text.charAt(i)) return false;
        return true;
    }

    private static int indexOf(byte[] body, byte[] pattern, int from) {
        byte first = pattern[0];
        int last = body.length - pattern.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (body[i] != first) continue;
            for (int j = 1; j < pattern.length; j++) if (body[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}
