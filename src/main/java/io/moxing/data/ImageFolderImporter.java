package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.core.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Image folders as Keras' flow_from_directory reads them: one sub-folder per class, JPEG and PNG
 * files inside; or {@code train/}, {@code validation/} (or {@code val/}) and {@code test/} folders
 * that each hold the class folders. A file that is not a readable image is skipped and counted.
 */
final class ImageFolderImporter {
    private static final Map<String, String> SPLIT_FOLDERS = Map.of(
            "train", "train", "validation", "validation", "val", "validation", "test", "test");

    private ImageFolderImporter() {}

    static boolean recognises(Path dir) {
        return Files.isDirectory(dir) && !subdirectories(dir).isEmpty();
    }

    static RawDataset read(ImportOptions options) {
        Path dir = options.path();
        List<Path> top = subdirectories(dir);
        boolean presplit = !top.isEmpty() && top.stream().allMatch(p -> SPLIT_FOLDERS.containsKey(name(p)));
        Path classRoot = presplit ? top.stream().filter(p -> name(p).equals("train")).findFirst()
                .orElseThrow(() -> new UserException("missing_file", dir + ": split folders found but no train/"))
                : dir;
        List<String> classes = subdirectories(classRoot).stream().map(ImageFolderImporter::name).toList();
        if (classes.size() < 2) {
            throw new UserException("too_few_classes", classRoot + ": found " + classes.size()
                    + " class folder(s); put each class's images in its own sub-folder (at least 2)");
        }
        BufferedImage first = firstImage(classRoot, classes);
        int width = options.imageWidth() != null ? options.imageWidth() : first.getWidth();
        int height = options.imageHeight() != null ? options.imageHeight() : first.getHeight();
        int channels = options.channels() != null ? options.channels() : Images.isGray(first) ? 1 : 3;
        RawDataset raw = new RawDataset("image", dir.toString(), List.of(channels, height, width), Task.CLASSIFICATION,
                classes, List.of());
        if (presplit) {
            for (Path split : top) {
                readSplit(raw, split, SPLIT_FOLDERS.get(name(split)), classes, channels, width, height);
            }
        } else {
            readSplit(raw, dir, RawDataset.ALL, classes, channels, width, height);
        }
        return raw;
    }

    private static void readSplit(RawDataset raw, Path root, String split, List<String> classes, int channels,
                                  int width, int height) {
        SampleSet set = raw.partition(split, DType.UINT8);
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = root.resolve(classes.get(label));
            for (Path file : files(classDir)) {
                raw.countRead();
                BufferedImage image = Images.decode(file);
                if (image == null) {
                    raw.skip(file + ": not a readable JPEG or PNG image");
                    continue;
                }
                set.add(Images.toChw(image, channels, width, height), label);
            }
        }
        for (Path extra : subdirectories(root)) {
            if (!classes.contains(name(extra))) {
                raw.skip(extra + ": class folder not present in train/; its images were not imported");
            }
        }
    }

    private static BufferedImage firstImage(Path classRoot, List<String> classes) {
        for (String c : classes) {
            for (Path file : files(classRoot.resolve(c))) {
                BufferedImage image = Images.decode(file);
                if (image != null) {
                    return image;
                }
            }
        }
        throw new UserException("no_images", classRoot + ": no readable JPEG or PNG images in the class folders");
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> !name(p).startsWith(".")).sorted().toList());
        } catch (IOException e) {
            throw new UserException("unreadable_file", dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    static List<Path> subdirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !name(p).startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UserException("unreadable_file", dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
