package io.moxing.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

/** The accuracy gate: a version that loses more than --max-drop points is refused, reason printed, nothing registered. */
class CompressGateTest {

    @Test
    void overPrunedVersionWithoutFineTuneIsRefusedAndNothingRegistered() throws Exception {
        String original = CompressFixture.original();
        ModelRegistry registry = new ModelRegistry(CompressFixture.home().models());
        int versions = registry.list().size();
        CompressFixture.Cli cli = CompressFixture.cli("compress", original, "--method", "prune", "--ratio", "0.97",
                "--epochs", "0", "--json");
        String[] lines = cli.lines();
        assertEquals(0, cli.exit(), String.join("\n", lines));
        JsonNode r = cli.lastJson();
        assertEquals(false, r.get("registered").asBoolean());
        assertTrue(r.get("version").isNull());
        assertEquals("prune", r.get("method").asText());
        assertTrue(r.get("accuracy_before").asDouble() - r.get("accuracy_after").asDouble() > 0.005, r.toString());
        assertTrue(r.get("size_ratio").asDouble() > 10, r.toString());
        assertTrue(r.get("reason").asText().contains("--max-drop"), r.toString());
        assertTrue(lines[lines.length - 2].startsWith("not registered: "), lines[lines.length - 2]);
        assertEquals(versions, registry.list().size(), "the gate registers nothing");
    }

    @Test
    void gateAllowsADropUpToTheLimitAndNoFurther() {
        AccuracyGate gate = new AccuracyGate(0.5);
        assertTrue(gate.judge(0.9000, 0.8960).passed());
        assertTrue(!gate.judge(0.9000, 0.8940).passed());
        assertTrue(gate.judge(0.9000, 0.9100).passed(), "a gain always passes");
    }
}
