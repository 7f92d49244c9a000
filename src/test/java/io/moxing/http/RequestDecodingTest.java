package io.moxing.http;

import static io.moxing.http.CnnServer.MULTIPART;
import static io.moxing.http.CnnServer.assertError;
import static io.moxing.http.CnnServer.json;
import static io.moxing.http.CnnServer.multipart;
import static io.moxing.http.CnnServer.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.predict.InputDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v1 request bodies a client gets wrong, or sends to hurt us, answered 4xx over real HTTP. */
class RequestDecodingTest {
    private static final String PREDICT = "/v1/models/cnn-28/predict";
    private static final String EXPLAIN = "/v1/models/cnn-28/explain";

    @TempDir Path tmp;
    private CnnServer server;

    @BeforeEach
    void start() {
        server = new CnnServer(tmp, InputDecoder.DEFAULT_MAX_IMAGE_PIXELS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String base64Image(byte[] image) {
        return "{\"image\": \"" + Base64.getEncoder().encodeToString(image) + "\"}";
    }

    /** The answer, asserting it came within a second. */
    private static HttpResponse<byte[]> quickly(Callable<HttpResponse<byte[]>> request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = request.call();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, "answered in " + millis + " ms");
        return r;
    }

    @Test
    void imageBombsAreRefusedFromTheirHeaderAndTheServerKeepsAnswering() throws Exception {
        byte[] truncated = Pngs.truncatedBomb();
        assertTrue(truncated.length < 300, truncated.length + " bytes");
        String message = assertError(quickly(() -> server.postJson(PREDICT, base64Image(truncated))), 413, "image_too_large");
        assertTrue(message.contains("20000x20000") && message.contains("16777216"), message);
        assertError(quickly(() -> server.postJson(EXPLAIN, base64Image(truncated))), 413, "image_too_large");

        // complete and valid: 48 KB that decode to 50 MB (13 s of ImageIO on the build machine)
        byte[] valid = Pngs.validBomb();
        message = assertError(quickly(() -> server.post(PREDICT, MULTIPART, multipart("image", "bomb.png", valid))),
                413, "image_too_large");
        assertTrue(message.contains("upload \"bomb.png\""), message);

        HttpResponse<byte[]> normal = server.post(PREDICT, MULTIPART, multipart("image", "shoe.png", png(0)));
        assertEquals(200, normal.statusCode(), new String(normal.body(), StandardCharsets.UTF_8));
        assertEquals("Ankle boot", json(normal).at("/predictions/0/label").asText());
    }

    @Test
    void theImagePixelLimitIsAServerOption() throws Exception {
        try (CnnServer strict = new CnnServer(tmp, 28 * 28 - 1)) {
            String message = assertError(strict.postJson(PREDICT, base64Image(png(0))), 413, "image_too_large");
            assertTrue(message.contains("28x28") && message.contains("783 pixels"), message);
        }
        try (CnnServer exact = new CnnServer(tmp, 28 * 28)) {
            assertEquals(200, exact.postJson(PREDICT, base64Image(png(0))).statusCode());
        }
    }

    @Test
    void theImagesOfOneFormShareAPixelBudgetAndAnExplanationDecodesOnlyItsFirst() throws Exception {
        // each image at the limit of one image; four such images are what a whole request may decode
        try (CnnServer strict = new CnnServer(tmp, 28 * 28)) {
            HttpResponse<byte[]> four = strict.post(PREDICT, MULTIPART, multipart("image", "shoe.png", png(0), 4));
            assertEquals(200, four.statusCode(), new String(four.body(), StandardCharsets.UTF_8));
            assertEquals(4, json(four).get("predictions").size());
            String message = assertError(strict.post(PREDICT, MULTIPART, multipart("image", "shoe.png", png(0), 5)),
                    413, "image_too_large");
            assertTrue(message.contains("more than 3136 pixels together") && message.contains("upload \"4-shoe.png\""), message);
            // an explanation decodes only its first image, but a form over the budget is refused there too
            HttpResponse<byte[]> explained = strict.post(EXPLAIN, MULTIPART, multipart("image", "shoe.png", png(0), 4));
            assertEquals(200, explained.statusCode(), new String(explained.body(), StandardCharsets.UTF_8));
            assertError(strict.post(EXPLAIN, MULTIPART, multipart("image", "shoe.png", png(0), 5)), 413, "image_too_large");

            // every part's header is charged before any part is decoded: the first part's data is corrupt, and had
            // it been decoded the answer would be its 400, not the form's 413
            byte[] corruptAtTheLimit = Pngs.png(28, 28, 8, 0, new byte[] {1, 2, 3, 4, 5});
            assertError(strict.post(PREDICT, MULTIPART, multipart("image", "shoe.png", corruptAtTheLimit)), 400, "not_an_image");
            List<byte[]> form = new ArrayList<>(List.of(corruptAtTheLimit));
            form.addAll(Collections.nCopies(4, png(0)));
            message = assertError(strict.post(PREDICT, MULTIPART, multipart("image", "shoe.png", form)), 413, "image_too_large");
            assertTrue(message.contains("upload \"4-shoe.png\""), message);
        }
    }

    @Test
    void aJpegOfManyScansIsRefusedFromItsMarkers() throws Exception {
        // a progressive JPEG as an encoder writes it (ten scans) is served
        java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(512, 512, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) picture.setRGB(x, y, x * 31 ^ y * 17);
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam progressive = writer.getDefaultWriteParam();
        progressive.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var stream = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(picture, null, null), progressive);
        }
        byte[] jpeg = out.toByteArray();
        HttpResponse<byte[]> served = server.post(PREDICT, MULTIPART, multipart("image", "photo.jpg", jpeg));
        assertEquals(200, served.statusCode(), new String(served.body(), StandardCharsets.UTF_8));

        // the same with its last scan repeated: each repeat is another pass over every pixel, at a few bytes each
        int lastScan = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) lastScan = i;
        }
        byte[] scan = Arrays.copyOfRange(jpeg, lastScan, jpeg.length - 2);
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.write(jpeg, 0, jpeg.length - 2);
        for (int i = 0; i < 40; i++) bomb.write(scan);
        bomb.write(jpeg, jpeg.length - 2, 2);
        String message = assertError(quickly(() -> server.post(PREDICT, MULTIPART, multipart("image", "scans.jpg",
                bomb.toByteArray()))), 400, "image_too_complex");
        assertTrue(message.startsWith("upload \"scans.jpg\": the JPEG has more than 32 scans"), message);
        assertError(quickly(() -> server.postJson(PREDICT, base64Image(bomb.toByteArray()))), 400, "image_too_complex");
    }

    @Test
    void corruptImagesAre400NotAServerError() throws Exception {
        byte[] png = png(0);
        byte[] wrongMagic = png.clone();
        wrongMagic[1] = 'Q';
        byte[] bmpHeaderOnly = new byte[54];
        bmpHeaderOnly[0] = 'B';
        bmpHeaderOnly[1] = 'M';
        bmpHeaderOnly[14] = 40; // a BITMAPINFOHEADER whose fields are all zero or missing
        List<byte[]> corrupt = List.of(
                Arrays.copyOf(png, png.length / 2),
                wrongMagic,
                Pngs.png(0, 28, 8, 0, new byte[0]),
                Pngs.png(28, 28, 8, 0, new byte[] {1, 2, 3, 4, 5}),
                Pngs.png(28, 28, 3, 2, new byte[0]),
                bmpHeaderOnly,
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, 0, 28, 0, 28, 3},
                "GIF89a\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < corrupt.size(); i++) {
            byte[] image = corrupt.get(i);
            String message = assertError(server.post(PREDICT, MULTIPART, multipart("image", "case" + i + ".png", image)),
                    400, "not_an_image");
            assertTrue(message.startsWith("upload \"case" + i + ".png\""), message);
            assertError(server.postJson(PREDICT, base64Image(image)), 400, "not_an_image");
        }
    }

    @Test
    void jsonPastTheParsersLimitsIs400InOurWords() throws Exception {
        String deep = "{\"inputs\": " + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertTrue(assertError(server.postJson(PREDICT, deep), 400, "json_too_complex").contains("nest at most 1000 deep"));
        assertError(server.postJson("/v2/models/cnn-28/infer", deep), 400, "json_too_complex");
        String longNumber = "{\"inputs\": [" + "1".repeat(1001) + "]}";
        assertTrue(assertError(server.postJson(PREDICT, longNumber), 400, "json_too_complex").contains("at most 1000 characters"));

        String unclosed = assertError(server.postJson(PREDICT, "{\"inputs\": [1, 2"), 400, "invalid_json");
        assertTrue(unclosed.contains("line 1, column 17"), unclosed);
        String twoValues = assertError(server.postJson(PREDICT, "{\"inputs\": [1]} {\"inputs\": [2]}"), 400, "invalid_json");
        assertTrue(twoValues.contains("more follows the body's JSON value"), twoValues);
        String nan = assertError(server.postJson(PREDICT, "{\"inputs\": [NaN]}"), 400, "invalid_json");
        assertTrue(nan.contains("'NaN'"), nan);
        for (String message : List.of(unclosed, nan, twoValues)) {
            for (String internal : List.of("Source", "REDACTED", "`", "Feature", "Exception", "com.fasterxml")) {
                assertFalse(message.contains(internal), message);
            }
        }
    }

    @Test
    void numbersBeyondFloat32Are400NamingTheValue() throws Exception {
        String[] row = new String[784];
        Arrays.fill(row, "0");
        row[3] = "3.5e38";
        String huge = "[" + String.join(",", row) + "]";
        String message = assertError(server.postJson(PREDICT, "{\"inputs\": " + huge + "}"), 400, "out_of_range");
        assertTrue(message.startsWith("inputs[3]: 3.5E38 is beyond float32's range"), message);
        assertTrue(assertError(server.postJson(EXPLAIN, "{\"instances\": " + huge + "}"), 400, "out_of_range")
                .startsWith("instances[3]"));

        row[3] = "0";
        String zeros = "[" + String.join(",", row) + "]";
        row[5] = "1e300";
        String rows = "[" + zeros + ", [" + String.join(",", row) + "]]";
        message = assertError(server.postJson(PREDICT, "{\"rows\": " + rows + "}"), 400, "out_of_range");
        assertTrue(message.startsWith("rows[1][5]: 1.0E300 is beyond float32's range"), message);

        row[5] = "1e400";
        message = assertError(server.postJson(PREDICT, "{\"inputs\": [" + String.join(",", row) + "]}"), 400, "out_of_range");
        assertTrue(message.startsWith("inputs[5]: a number past float64's range is beyond float32's range"), message);
        assertEquals(200, server.postJson(PREDICT, "{\"inputs\": " + zeros + "}").statusCode(), "the same rows in range");
    }
}
