package io.moxing.console;

/** Whose console a session opens: the platform's operator (admin token) or a tenant (one of its API keys). */
enum Role {
    OPERATOR("/console/ops"),
    TENANT("/console/tenant");

    /** The first page after sign-in; every page of the role lies under it, and no page of the other role does. */
    final String home;

    Role(String home) {
        this.home = home;
    }

    /** The role whose pages {@code path} belongs to, or null for the pages both share (sign-out, assets). */
    static Role owning(String path) {
        for (Role r : values()) {
            if (path.equals(r.home) || path.startsWith(r.home + "/")) return r;
        }
        return null;
    }
}
