package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-style IDX files, gzipped or raw: {@code train-images-idx3-ubyte[.gz]} with
 * {@code train-labels-idx1-ubyte[.gz]}, and the same with the {@code t10k} prefix for the test split.
 */
final class IdxImporter {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxImporter() {}

    static boolean recognises(Path dir) {
        return Files.isDirectory(dir) && find(dir, "train-images-idx3-ubyte") != null;
    }

    static RawDataset read(ImportOptions options) {
        Path dir = options.path();
        Path trainImages = require(dir, "train-images-idx3-ubyte");
        Idx first = readImages(trainImages);
        int channels = options.channels() == null ? 1 : options.channels();
        int pad = options.pad();
        int h = first.rows + 2 * pad;
        int w = first.cols + 2 * pad;
        List<String> classes = options.classNames().isEmpty()
                ? IntStream.range(0, 10).mapToObj(Integer::toString).toList() : options.classNames();
        RawDataset raw = new RawDataset("image", dir.toString(), List.of(channels, h, w), Task.CLASSIFICATION, classes, List.of());
        add(raw, "train", first, readLabels(require(dir, "train-labels-idx1-ubyte")), trainImages, channels, pad, classes);
        Path testImages = find(dir, "t10k-images-idx3-ubyte");
        if (testImages != null) {
            add(raw, "test", readImages(testImages), readLabels(require(dir, "t10k-labels-idx1-ubyte")), testImages,
                    channels, pad, classes);
        }
        return raw;
    }

    private static void add(RawDataset raw, String split, Idx images, byte[] labels, Path file, int channels, int pad,
                            List<String> classes) {
        if (labels.length != images.count) {
            throw new UserException("idx_mismatch", file + ": " + images.count + " images but " + labels.length
                    + " labels in the matching labels file; use files from the same release");
        }
        SampleSet set = raw.partition(split, DType.UINT8);
        int h = images.rows + 2 * pad;
        int w = images.cols + 2 * pad;
        byte[] sample = new byte[channels * h * w];
        int plane = images.rows * images.cols;
        for (int i = 0; i < images.count; i++) {
            raw.countRead();
            int label = labels[i] & 0xFF;
            if (label >= classes.size()) {
                raw.skip(file + ": image " + i + " has label " + label + " but only " + classes.size() + " classes are named");
                continue;
            }
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < images.rows; r++) {
                    System.arraycopy(images.pixels, i * plane + r * images.cols, sample,
                            c * h * w + (r + pad) * w + pad, images.cols);
                }
            }
            set.add(sample, label);
        }
    }

    private record Idx(int count, int rows, int cols, byte[] pixels) {}

    private static Idx readImages(Path file) {
        ByteBuffer b = ByteBuffer.wrap(bytes(file));
        header(b, file, IMAGES_MAGIC, 16);
        int count = b.getInt();
        int rows = b.getInt();
        int cols = b.getInt();
        long need = (long) count * rows * cols;
        if (count < 0 || rows <= 0 || cols <= 0 || b.remaining() < need) {
            throw new UserException("truncated_idx", file + ": truncated: the header promises " + count + " images of "
                    + rows + "x" + cols + " (" + need + " bytes) but " + b.remaining()
                    + " bytes follow; copy or download the file again");
        }
        byte[] pixels = new byte[(int) need];
        b.get(pixels);
        return new Idx(count, rows, cols, pixels);
    }

    private static byte[] readLabels(Path file) {
        ByteBuffer b = ByteBuffer.wrap(bytes(file));
        header(b, file, LABELS_MAGIC, 8);
        int count = b.getInt();
        if (count < 0 || b.remaining() < count) {
            throw new UserException("truncated_idx", file + ": truncated: the header promises " + count + " labels but "
                    + b.remaining() + " bytes follow; copy or download the file again");
        }
        byte[] labels = new byte[count];
        b.get(labels);
        return labels;
    }

    private static void header(ByteBuffer b, Path file, int expectedMagic, int headerBytes) {
        if (b.remaining() < headerBytes) {
            throw new UserException("truncated_idx", file + ": truncated: " + b.remaining()
                    + " bytes, shorter than the IDX header; copy or download the file again");
        }
        int magic = b.getInt();
        if (magic != expectedMagic) {
            throw new UserException("not_idx", file + ": not an IDX " + (expectedMagic == IMAGES_MAGIC ? "image" : "label")
                    + " file (magic 0x" + Integer.toHexString(magic) + ", expected 0x"
                    + Integer.toHexString(expectedMagic) + ")");
        }
    }

    private static byte[] bytes(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return in.readAllBytes();
        } catch (java.io.EOFException e) {
            throw new UserException("truncated_idx", file + ": truncated gzip stream; copy or download the file again", e);
        } catch (java.util.zip.ZipException e) {
            throw new UserException("corrupt_idx", file + ": corrupt gzip data (" + e.getMessage()
                    + "); copy or download the file again", e);
        } catch (IOException e) {
            throw new UserException("unreadable_file", file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Path find(Path dir, String stem) {
        for (String suffix : new String[] {"", ".gz"}) {
            Path p = dir.resolve(stem + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path require(Path dir, String stem) {
        Path p = find(dir, stem);
        if (p == null) {
            throw new UserException("missing_file", dir + ": no " + stem + " (or " + stem
                    + ".gz); an IDX data set needs images and labels files side by side");
        }
        return p;
    }
}
