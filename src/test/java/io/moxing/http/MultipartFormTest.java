package io.moxing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
}
