package io.moxing.http;

import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import java.util.List;

/**
 * How answers are compressed: gzip, for clients that accept it, on answers of at least 1,500 bytes (listings,
 * reports, console pages). Javalin's default decides per answer by scanning its content type, case-insensitively,
 * against some forty excluded media types; in the serving profile that scan was 13% of the request threads'
 * samples, for answers (a few classes' scores) far too small to compress. JSON, the API's own type, is named as
 * allowed, which settles the decision with one lookup, and only media types that are compressed already are
 * excluded.
 */
final class Compression {
    /** Answers shorter than this are sent as they are (Javalin's default threshold, named here). */
    static final int MIN_SIZE = 1500;

    private Compression() {}

    /** The media types compressed, by the start of their content type (parameters such as the charset ignored). */
    private static final List<String> COMPRESSED = List.of("application/json", "text/html", "text/plain");

    /** Whether an answer of {@code contentType} is compressed when it is long enough (null: no). */
    static boolean worthCompressing(String contentType) {
        if (contentType == null) return false;
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return COMPRESSED.stream().anyMatch(type::startsWith);
    }

    /**
     * Whether an {@code Accept-Encoding} header accepts gzip: gzip's own entry decides when it has one (refused by a
     * weight of 0), else a {@code *} entry does; no header, or neither entry, is no.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        Boolean any = null;
        for (String entry : acceptEncoding.split(",")) {
            String[] parts = entry.trim().split(";");
            String coding = parts[0].trim();
            boolean accepted = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].replace(" ", "");
                if (p.startsWith("q=")) {
                    try {
                        accepted = Double.parseDouble(p.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        accepted = false;
                    }
                }
            }
            if (coding.equalsIgnoreCase("gzip")) return accepted;
            if (coding.equals("*")) any = accepted;
        }
        return any != null && any;
    }

    /** {@code bytes} gzipped (at zlib's default level, as Javalin's gzip compresses). */
    static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 3 + 64);
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out, 8192)) {
            gz.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("compressing in memory failed", e);
        }
        return out.toByteArray();
    }

    static CompressionStrategy strategy() {
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
        gzip.setDefaultMinSizeForCompression(MIN_SIZE);
        gzip.setAllowedMimeTypes(COMPRESSED);
        gzip.setExcludedMimeTypes(List.of("image/", "video/", "audio/", "application/zip", "application/gzip",
                "application/octet-stream",
                "text/event-stream"));
        return gzip;
    }
}
