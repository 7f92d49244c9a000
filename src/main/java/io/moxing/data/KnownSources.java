package io.moxing.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Data sets that Debian packages install on this machine, importable by name alone
 * ({@code moxing data import fashion-mnist}). Nothing is downloaded.
 */
public final class KnownSources {
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Map<String, Source> SOURCES = Map.of(
            "fashion-mnist", new Source(FASHION, "idx", FASHION_CLASSES, "dataset-fashion-mnist", 0, 1),
            // LeNet's CIFAR-10 input shape from data that is on this machine: padded to 32x32, grey repeated to RGB
            "fashion-mnist-32", new Source(FASHION, "idx", FASHION_CLASSES, "dataset-fashion-mnist", 2, 3),
            "fortunes-zh", new Source(Path.of("/usr/share/games/fortunes"), "text", List.of(), "fortunes-zh", 0, 1));

    private KnownSources() {}

    /**
     * Where a known data set lives, the format, its class names, the Debian package that installs it,
     * and the image padding and channels it is imported with.
     */
    public record Source(Path path, String format, List<String> classes, String debianPackage, int pad, int channels) {}

    public static Optional<Source> find(String name) {
        return Optional.ofNullable(SOURCES.get(name));
    }
}
