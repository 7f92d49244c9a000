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

    private static final Map<String, Source> SOURCES = Map.of(
            "fashion-mnist", new Source(Path.of("/usr/share/datasets/fashion-mnist"), "idx", FASHION_CLASSES,
                    "dataset-fashion-mnist"),
            "fortunes-zh", new Source(Path.of("/usr/share/games/fortunes"), "text", List.of(), "fortunes-zh"));

    private KnownSources() {}

    /** Where a known data set lives, the format, its class names and the Debian package that installs it. */
    public record Source(Path path, String format, List<String> classes, String debianPackage) {}

    public static Optional<Source> find(String name) {
        return Optional.ofNullable(SOURCES.get(name));
    }
}
