package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;

/**
 * How a sentence encoder turns its per-token vectors into one vector for the text: the mean over the text's
 * tokens (sentence-transformers models such as all-MiniLM-L6-v2) or the first, [CLS], token's (BAAI's bge models).
 */
public enum Pooling {
    MEAN("mean"),
    CLS("cls");

    private final String wireName;

    Pooling(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /** A pooling by its wire name (mean or cls). */
    @JsonCreator
    public static Pooling parse(String value) {
        for (Pooling p : values()) {
            if (p.wireName.equals(value)) return p;
        }
        throw new UserException("invalid_pooling", "pooling '" + value + "' must be mean or cls (the model card of a"
                + " sentence encoder says which: sentence-transformers models mean, bge models cls)");
    }
}
