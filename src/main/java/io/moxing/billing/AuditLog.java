package io.moxing.billing;

import java.util.List;

/** The append-only log of admin actions; each entry is chained to the previous one by hash. */
public interface AuditLog {
    AuditEntry append(Actor actor, String action, String target, String detail);

    /** The newest {@code limit} entries, newest first. */
    List<AuditEntry> recent(int limit);

    /** The entries the query selects, newest first. */
    List<AuditEntry> find(AuditQuery query);

    /** The sequence number of the first entry whose hash does not follow from its predecessor, or -1. */
    long firstBroken();
}
