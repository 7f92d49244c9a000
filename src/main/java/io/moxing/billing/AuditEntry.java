package io.moxing.billing;

/**
 * One admin action: who (admin token id or local OS user), from where (IP or "cli"), what, on what, when.
 * {@code detail} never holds a secret.
 */
public record AuditEntry(long seq, String at, String actor, String source, String action, String target, String detail,
                         String hash) {}
