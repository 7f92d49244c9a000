package io.moxing.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a model learns to do, and what a data set is for. It lives in {@code core}, not {@code model},
 * because data sets carry it too (a table is for classification or regression, a text corpus for
 * language modelling) and {@code data} does not depend on {@code model}.
 *
 * <p>Each task is stored under its wire name, the string specs, model cards and manifests have always
 * held, so files written before this type existed read unchanged and are written back byte for byte.
 */
public enum Task {
    CLASSIFICATION("classification"),
    REGRESSION("regression"),
    LANGUAGE_MODELING("language-modeling"),
    /** A pretrained sentence encoder, imported (not trained): texts in, unit vectors out (POST /v1/embeddings). */
    EMBEDDING("embedding");

    private final String wireName;

    Task(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The wire name, because messages and listings show the task as users write it. */
    @Override
    public String toString() {
        return wireName;
    }

    /** Answers with one of a list of named classes. */
    public boolean isClassification() {
        return this == CLASSIFICATION;
    }

    public boolean isLanguageModel() {
        return this == LANGUAGE_MODELING;
    }

    /** Any task by its wire name; {@code where} names the field or file in the error. */
    public static Task parse(String value, String where) {
        return parse(value, where, EnumSet.allOf(Task.class), "invalid_spec");
    }

    /**
     * One of {@code allowed} by its wire name, or a {@link UserException} with {@code code} that names
     * {@code where} (a file's field, a command-line option) and lists the allowed names.
     */
    public static Task parse(String value, String where, Set<Task> allowed, String code) {
        for (Task t : allowed) {
            if (t.wireName.equals(value)) {
                return t;
            }
        }
        throw new UserException(code, where + " '" + value + "' must be " + names(allowed));
    }

    @JsonCreator
    static Task fromJson(String value) {
        return parse(value, "task");
    }

    /** "a, b or c", in declaration order. */
    private static String names(Set<Task> tasks) {
        List<String> names = new ArrayList<>();
        EnumSet.copyOf(tasks).forEach(t -> names.add(t.wireName));
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
