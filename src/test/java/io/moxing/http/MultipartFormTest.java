package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a part's headers are read: any order and case, a colon in a value, parts without a file left out. */
class MultipartFormTest {
    private static final String TYPE = "multipart/form-data; boundary=xyz";

    private static List<MultipartForm.FilePart> files(String body) {
        return MultipartForm.files(body.getBytes(StandardCharsets.UTF_8), TYPE, 10);
    }

    @Test
    void theDispositionIsFoundAmongTheHeadersWhateverTheirOrderAndCase() {
        List<MultipartForm.FilePart> files = files("--xyz\r\nContent-Type: image/png\r\n"
                + "CONTENT-DISPOSITION :  form-data; name=\"image\"; filename=\"a:b.png\"\r\n\r\nPNG1"
                + "\r\n--xyz\r\ncontent-disposition: form-data; name=\"note\"\r\n\r\nnot a file"
                + "\r\n--xyz\r\nX-Other: a: b\r\nContent-Disposition: form-data; name=\"second\"; filename=\"b.png\"\r\n\r\nPNG2"
                + "\r\n--xyz--\r\n");
        assertEquals(2, files.size());
        assertEquals("image", files.get(0).field());
        assertEquals("a:b.png", files.get(0).filename());
        assertEquals("PNG1", new String(files.get(0).bytes(), StandardCharsets.UTF_8));
        assertEquals("second", files.get(1).field());
        assertEquals("PNG2", new String(files.get(1).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aPartsHeaderBlockOfManyLinesIsReadInTimeProportionalToIt() {
        // 3 MB of header lines without a colon before the disposition: a colon searched for past each line's end
        // made this quadratic (minutes of CPU from one request)
        String lines = "a\r\n".repeat(1_000_000);
        List<MultipartForm.FilePart> files = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> files("--xyz\r\n" + lines
                + "Content-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n\r\nPNG\r\n--xyz--\r\n"));
        assertEquals("x.png", files.get(0).filename());
    }

    @Test
    void aPartWithoutADispositionIsRefusedByNumber() {
        ApiError refused = assertThrows(ApiError.class, () -> files("--xyz\r\nContent-Type: image/png\r\n"
                + "X-Disposition: form-data; filename=\"x.png\"\r\n\r\nPNG\r\n--xyz--\r\n"));
        assertEquals("invalid_multipart", refused.code());
        assertEquals("the multipart body is malformed: part 1 has no Content-Disposition header", refused.getMessage());
    }

    @Test
    void aDispositionOfManyParametersIsReadInTimeProportionalToIt() {
        // 3 MB of parameters without '=' before the file name: an '=' searched for past each parameter's end is quadratic
        String parameters = "; a".repeat(1_000_000);
        List<MultipartForm.FilePart> files = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> files("--xyz\r\n"
                + "Content-Disposition: form-data" + parameters + "; name=\"image\"; filename=\"x.png\"\r\n\r\nPNG\r\n--xyz--\r\n"));
        assertEquals("x.png", files.get(0).filename());
    }

    /** How parameters were read before they were read by index: split on ';', trimmed, the name compared, unquoted. */
    private static String splitParameter(String header, String name) {
        for (String param : header.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static String splitBoundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (!b.isEmpty() && b.length() <= 70) return b;
            }
        }
        return null;
    }

    @Test
    void parametersAreReadAsSplittingAndTrimmingReadThem() {
        String[] pieces = {";", "=", "\"", " ", "\t", "name", "NAME", "filename", "boundary", "BoundarY", "x", "a b",
                "form-data", "\u0001", "\u00e9", "=\"\"", "\"q\"", "-".repeat(71)};
        Random random = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder header = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) header.append(pieces[random.nextInt(pieces.length)]);
            String h = header.toString();
            for (String name : List.of("name", "filename")) assertEquals(splitParameter(h, name), MultipartForm.parameter(h, name), h);
            String expected = splitBoundary(h);
            if (expected == null) {
                assertThrows(ApiError.class, () -> MultipartForm.boundary(h), h);
            } else {
                assertEquals(expected, MultipartForm.boundary(h), h);
            }
        }
    }
}
