package io.moxing.billing;

/** An admin token as stored: only the salted hash of its secret. */
public record AdminToken(String id, String salt, String hash, long createdAt, Long revokedAt) {}
