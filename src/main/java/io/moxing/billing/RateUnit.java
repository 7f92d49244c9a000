package io.moxing.billing;

/**
 * What a key's token bucket counts: requests (one token each, however many samples they carry) or
 * predictions (one token per sample, so 300 images in one request cost 300 tokens).
 */
public enum RateUnit {
    REQUESTS, PREDICTIONS;

    /** The unit named {@code text} (case-insensitive), or a {@link io.moxing.core.UserException} naming the choices. */
    public static RateUnit parse(String text) {
        if (text == null) return REQUESTS;
        for (RateUnit u : values()) if (u.name().equalsIgnoreCase(text)) return u;
        throw new io.moxing.core.UserException("invalid_field", "rate unit '" + text + "' must be requests or predictions");
    }
}
