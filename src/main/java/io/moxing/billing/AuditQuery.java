package io.moxing.billing;

import io.moxing.core.UserException;

/**
 * Which audit entries to read, newest first: those of one actor and one action (null: any), in [fromMs, toMs),
 * a page of {@code limit} after skipping {@code offset}.
 *
 * @param actor  the actor's name as recorded ("admin:…", "tenant:…", "cli:user"); matched from its start
 * @param action the action exactly ("invoice.issue", "deployment.put", ...)
 */
public record AuditQuery(String actor, String action, long fromMs, long toMs, int offset, int limit) {
    public AuditQuery {
        if (actor != null && actor.isBlank()) actor = null;
        if (action != null && action.isBlank()) action = null;
        if (toMs <= fromMs) throw new UserException("invalid_field", "the period's end must be after its start");
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new UserException("invalid_field", "a page is 1 to 1000 entries from offset 0 or more, not " + limit + " from " + offset);
        }
    }
}
