package io.moxing.automl;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Searches on disk under {@code automl/<id>/}: {@code state.json} (rewritten atomically, so a crash
 * leaves the previous or the next state, never half of one), {@code curves.png} and {@code report.html}.
 */
public final class SearchStore {
    private final Path root;

    public SearchStore(Path root) {
        this.root = root;
    }

    public Path directory(String id) {
        return root.resolve(id);
    }

    public void save(SearchState state) {
        AtomicFiles.writeJson(directory(state.id()).resolve("state.json"), state);
    }

    public SearchState load(String id) {
        Path file = directory(id).resolve("state.json");
        if (id.isBlank() || id.contains("/") || !Files.isRegularFile(file)) {
            throw new UserException("unknown_search", "no search '" + id + "' under " + root + "; see 'moxing automl list'");
        }
        SearchState state = Json.read(file, SearchState.class);
        if (state.formatVersion() > SearchState.FORMAT_VERSION) {
            throw new UserException("unsupported_format", file + ": format_version " + state.formatVersion()
                    + " is newer than this Moxing understands; upgrade Moxing");
        }
        return state;
    }

    /** Every search's id, oldest first (ids start with the time). */
    public List<String> ids() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("state.json"))).map(p -> p.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
