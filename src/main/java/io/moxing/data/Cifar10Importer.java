package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR-10 binary batches: {@code data_batch_N.bin} (train) and {@code test_batch.bin}; each record
 * is 1 label byte followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32x32).
 */
final class Cifar10Importer {
    static final int RECORD = 1 + 3 * 32 * 32;
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private Cifar10Importer() {}

    static boolean recognises(Path dir) {
        return Files.isDirectory(dir) && !batches(dir).isEmpty();
    }

    static RawDataset read(ImportOptions options) {
        Path dir = options.path();
        List<Path> train = batches(dir);
        if (train.isEmpty()) {
            throw new UserException("missing_file", dir + ": no data_batch_N.bin files; point --path at the"
                    + " cifar-10-batches-bin directory");
        }
        List<String> classes = options.classNames().isEmpty() ? CLASSES : options.classNames();
        RawDataset raw = new RawDataset("image", dir.toString(), List.of(3, 32, 32), Task.CLASSIFICATION, classes, List.of());
        for (Path batch : train) {
            add(raw, raw.partition("train", DType.UINT8), batch, classes.size());
        }
        Path test = dir.resolve("test_batch.bin");
        if (Files.isRegularFile(test)) {
            add(raw, raw.partition("test", DType.UINT8), test, classes.size());
        }
        return raw;
    }

    private static void add(RawDataset raw, SampleSet set, Path file, int classCount) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length % RECORD != 0) {
            throw new UserException("truncated_cifar", file + ": " + bytes.length + " bytes is not a whole number of "
                    + RECORD + "-byte records (truncated?); copy the file again");
        }
        byte[] pixels = new byte[RECORD - 1];
        for (int offset = 0; offset < bytes.length; offset += RECORD) {
            raw.countRead();
            int label = bytes[offset] & 0xFF;
            if (label >= classCount) {
                raw.skip(file + ": record " + offset / RECORD + " has label " + label + ", not one of the "
                        + classCount + " classes");
                continue;
            }
            System.arraycopy(bytes, offset + 1, pixels, 0, pixels.length);
            set.add(pixels, label);
        }
    }

    private static List<Path> batches(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"))
                    .sorted().toList());
        } catch (IOException e) {
            throw new UserException("unreadable_file", dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }
}
