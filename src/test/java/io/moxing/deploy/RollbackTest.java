package io.moxing.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which version a rollback restores: the alias's history replayed as an undo stack. */
class RollbackTest {
    private final List<DeploymentChange> history = new ArrayList<>();

    private void change(Integer version, String reason) {
        history.add(new DeploymentChange("shop", "production", version == null ? null : "cnn-28", version, history.size(), reason));
    }

    private void deployed(int... versions) {
        for (int v : versions) change(v, DeploymentChange.DEPLOY);
    }

    private String previous(int current) {
        return Rollback.previous(history, "cnn-28:" + current);
    }

    @Test
    void restoresTheVersionBeforeTheCurrentOne() {
        deployed(1, 2);
        assertEquals("cnn-28:1", previous(2));
    }

    @Test
    void repeatedRollbacksGoFurtherBackInsteadOfPingPonging() {
        deployed(1, 2);
        change(3, "promote retrained run r-7");
        assertEquals("cnn-28:2", previous(3));
        change(2, Rollback.REASON);
        assertEquals("cnn-28:1", previous(2));
        change(1, Rollback.REASON);
        assertNull(previous(1), "nothing before the first version");
        deployed(3);
        assertEquals("cnn-28:1", previous(3), "what was rolled away from is not 'before' any more");
    }

    @Test
    void aRemovalAndARedeployOfTheSameVersionChangeNothing() {
        deployed(1, 2);
        change(null, DeploymentChange.UNDEPLOY);
        change(2, DeploymentChange.DEPLOY);
        assertEquals("cnn-28:1", previous(2));
    }

    @Test
    void aVersionDeployedBeforeTheHistoryBeganCounts() {
        assertNull(previous(4), "no history: nothing to go back to");
        deployed(1);
        assertEquals("cnn-28:1", previous(4), "the current version is on top even when the history missed it");
    }

    @Test
    void twoConcurrentRollbacksToTheSameVersionCountOnce() {
        deployed(1, 2, 3);
        change(2, Rollback.REASON);
        change(2, Rollback.REASON);
        assertEquals("cnn-28:1", previous(2));
    }
}
