package io.moxing.billing;

/** Who performs an admin action and from where, for the audit log. */
public record Actor(String name, String source) {
    public static Actor cli() {
        return new Actor("cli:" + System.getProperty("user.name", "unknown"), "local");
    }
}
