package io.moxing.registry;

import io.moxing.core.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model version answers: its task, the input it takes and the classes it names. All versions of
 * one registry name share it, because {@code moxing deploy NAME} follows the newest version: a version
 * with other classes would start answering another question under the same name. A sentence encoder's
 * {@code dimensions} (the width of its vectors; 0 for other models) is part of it for the same reason: stored
 * vectors of one width cannot be compared with another's.
 */
public record Signature(Task task, List<Integer> inputShape, List<String> classes, int dimensions) {
    private static final int CLASSES_SHOWN = 4;

    public Signature {
        inputShape = inputShape == null ? List.of() : List.copyOf(inputShape);
        // a language model's or a regressor's card may have no classes at all
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** A trained model's signature (no vectors of its own width). */
    public Signature(Task task, List<Integer> inputShape, List<String> classes) {
        this(task, inputShape, classes, 0);
    }

    /** How this differs from {@code earlier}, one phrase each ("classes [0, 1] where NAME:1 has [a, b]"); empty when none. */
    List<String> differencesFrom(Signature earlier, String earlierRef) {
        List<String> out = new ArrayList<>();
        if (task != earlier.task) {
            out.add("task " + task + " where " + earlierRef + " is " + earlier.task);
        }
        if (!inputShape.equals(earlier.inputShape)) {
            out.add("input " + inputShape + " where " + earlierRef + " takes " + earlier.inputShape);
        }
        if (!classes.equals(earlier.classes)) {
            out.add("classes " + brief(classes) + " where " + earlierRef + " has " + brief(earlier.classes));
        }
        if (dimensions != earlier.dimensions) {
            out.add(dimensions + "-dimensional vectors where " + earlierRef + " answers " + earlier.dimensions);
        }
        return out;
    }

    private static String brief(List<String> classes) {
        if (classes.size() <= CLASSES_SHOWN + 1) {
            return classes.toString();
        }
        return "[" + String.join(", ", classes.subList(0, CLASSES_SHOWN)) + ", … " + classes.size() + " in all]";
    }
}
