package io.moxing.generate;

import io.moxing.core.UserException;
import java.util.Locale;

/** Who speaks in a chat. OpenAI's newer name for the system role, "developer", is read as system. */
public enum ChatRole {
    SYSTEM, USER, ASSISTANT;

    public static ChatRole parse(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "system", "developer" -> SYSTEM;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            default -> throw new UserException("invalid_role", "role '" + name + "' is not one of system, user, assistant"
                    + " (tool and function messages are not supported)");
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
