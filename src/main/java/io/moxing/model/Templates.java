package io.moxing.model;

import io.moxing.core.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The built-in recipes, shipped as JSON specs inside the jar. */
public final class Templates {
    public static final List<String> NAMES = List.of("mlp-toy", "cnn-28", "lenet-cifar", "rnn-rows", "mobilenetv2-transfer", "transformer-lm");

    private Templates() {}

    /** A template by name, or a spec file by path. */
    public static ModelSpec resolve(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) {
            return load(nameOrPath);
        }
        if (nameOrPath.endsWith(".json") || nameOrPath.contains("/")) {
            return ModelSpec.read(Path.of(nameOrPath));
        }
        throw new UserException("unknown_template", "'" + nameOrPath + "' is neither a template (" + String.join(", ", NAMES)
                + ") nor a .json spec file");
    }

    public static ModelSpec load(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/templates/" + name + ".json")) {
            if (in == null) {
                throw new UserException("unknown_template", "no template '" + name + "'; templates: " + NAMES);
            }
            return ModelSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "template " + name);
        } catch (IOException e) {
            throw new IllegalStateException("template " + name + " cannot be read from the jar", e);
        }
    }
}
