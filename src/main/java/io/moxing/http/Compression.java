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

    static CompressionStrategy strategy() {
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
        gzip.setDefaultMinSizeForCompression(MIN_SIZE);
        gzip.setAllowedMimeTypes(List.of("application/json", "text/html", "text/plain"));
        gzip.setExcludedMimeTypes(List.of("image/", "video/", "audio/", "application/zip", "application/gzip",
                "application/octet-stream",
                "text/event-stream"));
        return gzip;
    }
}
