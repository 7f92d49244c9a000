package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What follows each hidden layer of a table model before its activation. */
public enum Normalisation {
    NONE, BATCHNORM, LAYERNORM;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
