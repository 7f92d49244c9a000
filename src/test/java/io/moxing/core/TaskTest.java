package io.moxing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskTest {
    @Test
    void eachTaskIsWrittenAndReadByTheNameFilesHaveAlwaysHeld() throws Exception {
        for (Task t : Task.values()) {
            String json = Json.MAPPER.writeValueAsString(t);
            assertEquals("\"" + t.wireName() + "\"", json);
            assertEquals(t, Json.MAPPER.readValue(json, Task.class));
            assertEquals(t.wireName(), t.toString(), "messages show the name users write");
        }
        assertEquals("language-modeling", Task.LANGUAGE_MODELING.wireName());
    }

    @Test
    void anUnknownNameIsRefusedNamingWhereAndTheValidNames() {
        UserException all = assertThrows(UserException.class, () -> Task.parse("clasification", "spec.json: task"));
        assertEquals("invalid_spec", all.code());
        assertEquals("spec.json: task 'clasification' must be classification, regression, language-modeling or embedding",
                all.getMessage());
        UserException option = assertThrows(UserException.class, () -> Task.parse("language-modeling", "--task",
                EnumSet.of(Task.REGRESSION, Task.CLASSIFICATION), "invalid_option"));
        assertEquals("invalid_option", option.code());
        assertEquals("--task 'language-modeling' must be classification or regression", option.getMessage());
        assertThrows(IllegalStateException.class, () -> Json.parse("\"Classification\"", Task.class),
                "stored JSON with an unknown task is not a user's mistake");
    }
}
