package io.moxing.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCipherTest {
    @TempDir Path tmp;

    private static final byte[] PLACE = "prediction_log/17".getBytes(StandardCharsets.UTF_8);

    private DataKey key(String name) {
        return DataKey.of(new MoxingHome(tmp.resolve(name)), Map.of());
    }

    /** Whether {@code needle} occurs anywhere in {@code haystack}. */
    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    @Test
    void recordsOfEverySizeAndChineseTextComeBackAsTheyWere() {
        RecordCipher cipher = new RecordCipher(key("a"));
        byte[] megabyte = new byte[1 << 20];
        new SecureRandom().nextBytes(megabyte);
        for (byte[] plaintext : new byte[][] {new byte[0], {42}, megabyte}) {
            byte[] sealed = cipher.seal(plaintext, PLACE);
            assertEquals(plaintext.length + RecordCipher.OVERHEAD, sealed.length);
            assertArrayEquals(plaintext, cipher.open(sealed, PLACE));
        }
        String text = "用户反馈：这张图片其实是一只短靴，不是凉鞋。";
        assertEquals(text, cipher.openText(cipher.sealText(text, "feedback/3"), "feedback/3"));
        assertEquals("", cipher.openText(cipher.sealText("", ""), ""));
    }

    @Test
    void twoSealsOfOneTextDifferAndNeitherContainsIt() {
        RecordCipher cipher = new RecordCipher(key("a"));
        String text = "张三的手机号是13800138000，住在北京市海淀区";
        byte[] first = cipher.sealText(text, "feedback/1");
        byte[] second = cipher.sealText(text, "feedback/1");
        assertFalse(Arrays.equals(first, second), "a fresh nonce per record");
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        for (byte[] sealed : new byte[][] {first, second}) {
            assertFalse(contains(sealed, plain));
            // nor any 8-byte piece of it (a leak of a part would show here)
            for (int i = 0; i + 8 <= plain.length; i++) {
                assertFalse(contains(sealed, Arrays.copyOfRange(plain, i, i + 8)), "piece at " + i);
            }
        }
    }

    @Test
    void flippingAnySingleBitIsReportedAsTampering() {
        RecordCipher cipher = new RecordCipher(key("a"));
        byte[] sealed = cipher.sealText("the customer said: wrong label", "feedback/9");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = sealed.clone();
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            UserException e = assertThrows(UserException.class, () -> cipher.openText(altered, "feedback/9"),
                    "bit " + bit);
            assertEquals("damaged_record", e.code(), "bit " + bit + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("damaged or tampered record"), e.getMessage());
        }
        UserException cut = assertThrows(UserException.class,
                () -> cipher.open(Arrays.copyOf(sealed, RecordCipher.OVERHEAD - 1), PLACE));
        assertEquals("damaged_record", cut.code());
    }

    @Test
    void aRecordMovedToAnotherPlaceDoesNotOpen() {
        RecordCipher cipher = new RecordCipher(key("a"));
        byte[] sealed = cipher.sealText("input of row 17", "prediction_log/17");
        UserException e = assertThrows(UserException.class, () -> cipher.openText(sealed, "prediction_log/18"));
        assertEquals("damaged_record", e.code());
        assertThrows(UserException.class, () -> cipher.openText(sealed, "feedback/17"));
        assertEquals("input of row 17", cipher.openText(sealed, "prediction_log/17"));
    }

    @Test
    void aRecordOfAnotherKeySaysWhichKeyItNeeds() {
        DataKey ours = key("a");
        DataKey theirs = DataKey.of(new MoxingHome(tmp.resolve("b")), Map.of(DataKey.VARIABLE,
                Base64.getEncoder().encodeToString(new byte[32])));
        byte[] sealed = new RecordCipher(theirs).sealText("secret feedback", "feedback/1");
        UserException e = assertThrows(UserException.class,
                () -> new RecordCipher(ours).openText(sealed, "feedback/1"));
        assertEquals("other_data_key", e.code());
        assertEquals("record encrypted with another data key (id " + theirs.id() + ", this one is " + ours.id()
                + "); set MOXING_DATA_KEY to that key", e.getMessage());
    }

    @Test
    void manyThreadsSealAndOpenWithOneCipher() throws Exception {
        RecordCipher cipher = new RecordCipher(key("a"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String text = "thread " + thread + " record " + i;
                        String place = "log/" + thread + "/" + i;
                        if (!cipher.openText(cipher.sealText(text, place), place).equals(text)) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) assertTrue(r.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Not a check but the measure behind RecordCipher's choice of a Cipher per call: sealing 1 KB with a new
     * instance each time against one instance per thread, re-initialised with each nonce. Printed, not asserted.
     */
    @Test
    void measureANewCipherPerRecordAgainstAReusedOne() throws Exception {
        DataKey key = key("a");
        byte[] record = new byte[1024];
        byte[] nonce = new byte[12];
        SecureRandom random = new SecureRandom();
        Cipher reused = Cipher.getInstance("AES/GCM/NoPadding");
        int n = 20_000;
        double[] fresh = new double[6];
        double[] kept = new double[6];
        for (int round = 0; round < 6; round++) {
            // alternate which goes first, so that neither always runs on a warmer JIT
            boolean freshFirst = round % 2 == 0;
            for (int pass = 0; pass < 2; pass++) {
                boolean newEach = freshFirst == (pass == 0);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    random.nextBytes(nonce);
                    Cipher c = newEach ? Cipher.getInstance("AES/GCM/NoPadding") : reused;
                    c.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce));
                    c.updateAAD(PLACE);
                    c.doFinal(record);
                }
                double micros = (System.nanoTime() - t0) / 1e3 / n;
                if (newEach) fresh[round] = micros; else kept[round] = micros;
            }
        }
        Arrays.sort(fresh);
        Arrays.sort(kept);
        System.out.printf("seal 1 KB, median of 6 alternating rounds of %,d: new Cipher per record %.2f µs, reused %.2f µs%n",
                n, (fresh[2] + fresh[3]) / 2, (kept[2] + kept[3]) / 2);
    }
}
