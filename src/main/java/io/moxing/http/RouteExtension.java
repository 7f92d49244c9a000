package io.moxing.http;

import io.javalin.Javalin;

/**
 * Routes that another adapter at the edge (the web console) serves on this server's port, beside the API.
 * Registered once, when the server starts; the server's error mapping and shutdown apply to them too.
 */
public interface RouteExtension {
    void register(Javalin app);
}
