package io.moxing.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataKeyTest {
    @TempDir Path tmp;

    private MoxingHome home() {
        return new MoxingHome(tmp.resolve("home"));
    }

    private static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** Whether two keys are the same: what one seals the other opens. */
    private static boolean same(DataKey a, DataKey b) {
        byte[] sealed = new RecordCipher(a).sealText("probe", "test");
        try {
            return new RecordCipher(b).openText(sealed, "test").equals("probe");
        } catch (UserException e) {
            return false;
        }
    }

    @Test
    void firstUseCreatesAnOwnerOnlyKeyThatLaterUsesReadBack() throws Exception {
        DataKey created = DataKey.of(home(), Map.of());
        Path file = home().secrets().resolve("data-key");
        assertEquals(DataKey.Source.FILE_CREATED, created.source());
        assertEquals(file, created.file().orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home().secrets())));
        byte[] raw = Base64.getDecoder().decode(Files.readString(file).strip());
        assertEquals(32, raw.length);
        // the id is what an operator can compute from the file with sha256sum
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 8),
                created.id());
        assertTrue(created.describe().contains("created at " + file), created.describe());

        DataKey again = DataKey.of(home(), Map.of());
        assertEquals(DataKey.Source.FILE, again.source());
        assertEquals(created.id(), again.id());
        assertTrue(same(created, again));
        try (Stream<Path> files = Files.list(home().secrets())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void theEnvironmentWinsOverTheFileAndNothingIsCreated() throws Exception {
        String key = randomKey();
        DataKey fromEnvironment = DataKey.of(home(), Map.of(DataKey.VARIABLE, key + "\n"));
        assertEquals(DataKey.Source.ENVIRONMENT, fromEnvironment.source());
        assertTrue(fromEnvironment.file().isEmpty());
        assertFalse(Files.exists(home().secrets().resolve("data-key")));

        DataKey fromFile = DataKey.of(home(), Map.of());
        assertFalse(same(fromEnvironment, fromFile));
        DataKey stillEnvironment = DataKey.of(home(), Map.of(DataKey.VARIABLE, key));
        assertEquals(DataKey.Source.ENVIRONMENT, stillEnvironment.source());
        assertTrue(same(fromEnvironment, stillEnvironment));
        assertFalse(stillEnvironment.toString().contains(key), "toString never shows the key");
        assertFalse(stillEnvironment.describe().contains(key));
    }

    @Test
    void aMalformedVariableNamesItselfAndTheLengthButNotTheValue() {
        String short16 = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        for (String value : List.of(short16, "not base64 at all!", "", randomKey() + randomKey())) {
            UserException e = assertThrows(UserException.class,
                    () -> DataKey.of(home(), Map.of(DataKey.VARIABLE, value)), value);
            assertEquals("invalid_data_key", e.code());
            assertTrue(e.getMessage().startsWith("MOXING_DATA_KEY must be the base64 of 32 random bytes"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("head -c 32 /dev/urandom | base64"), e.getMessage());
            if (!value.isEmpty()) assertFalse(e.getMessage().contains(value), e.getMessage());
            assertFalse(Files.exists(home().secrets()), "a bad variable never falls back to the file");
        }
        UserException e = assertThrows(UserException.class,
                () -> DataKey.of(home(), Map.of(DataKey.VARIABLE, short16)));
        assertTrue(e.getMessage().contains("decodes to 16 bytes"), e.getMessage());
    }

    @Test
    void aMalformedFileNamesTheFileButNotItsContent() throws Exception {
        Path file = home().secrets().resolve("data-key");
        Files.createDirectories(file.getParent());
        String content = Base64.getEncoder().encodeToString("only twenty-four bytes!!".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(file, content + "\n");
        UserException e = assertThrows(UserException.class, () -> DataKey.of(home(), Map.of()));
        assertEquals("invalid_data_key", e.code());
        assertTrue(e.getMessage().startsWith(file + " must be the base64 of 32 random bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("decodes to 24 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains(content), e.getMessage());
        assertEquals(content + "\n", Files.readString(file), "a damaged key file is never replaced");

        Files.writeString(file, "%%%%");
        e = assertThrows(UserException.class, () -> DataKey.of(home(), Map.of()));
        assertTrue(e.getMessage().contains("not base64"), e.getMessage());
        assertFalse(e.getMessage().contains("%"), e.getMessage());
    }

    @Test
    void processesStartingAtOnceAllEndUpWithTheOneKeyCreated() throws Exception {
        int racers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 25; round++) {
                MoxingHome home = new MoxingHome(tmp.resolve("race-" + round));
                CyclicBarrier start = new CyclicBarrier(racers);
                List<Future<DataKey>> keys = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    keys.add(pool.submit(() -> {
                        start.await();
                        return DataKey.of(home, Map.of());
                    }));
                }
                List<DataKey> got = new ArrayList<>();
                for (Future<DataKey> f : keys) got.add(f.get());
                assertEquals(1, got.stream().filter(k -> k.source() == DataKey.Source.FILE_CREATED).count(),
                        "exactly one creates it");
                DataKey onDisk = DataKey.of(home, Map.of());
                for (DataKey k : got) {
                    assertEquals(onDisk.id(), k.id());
                    assertTrue(same(k, onDisk));
                }
                try (Stream<Path> files = Files.list(home.secrets())) {
                    assertEquals(1, files.count(), "no temporary file is left behind");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
