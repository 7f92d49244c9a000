package io.moxing.console;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files, served from the jar: its stylesheet and script, and Chart.js from its webjar. Only
 * these names are served (nothing is looked up from the path), and nothing comes from another site.
 */
final class Assets {
    static final String PATH = "/console/assets/";
    /** Chart.js's UMD build inside org.webjars.npm:chart.js (the version pinned in pom.xml). */
    static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.js";
    private record Asset(String resource, String contentType) {}

    private static final Map<String, Asset> FILES = Map.of(
            "console.css", new Asset("/console/console.css", "text/css; charset=utf-8"),
            "console.js", new Asset("/console/console.js", "text/javascript; charset=utf-8"),
            "chart.umd.js", new Asset(CHART_JS, "text/javascript; charset=utf-8"));
    private final Map<String, byte[]> bytes;

    Assets() {
        // read once at start: a missing file is a broken build, better known before the first page
        Map<String, byte[]> read = new java.util.HashMap<>();
        FILES.forEach((name, asset) -> read.put(name, read(asset)));
        this.bytes = Map.copyOf(read);
    }

    void register(Javalin app) {
        app.get(PATH + "{file}", ctx -> {
            Asset asset = FILES.get(ctx.pathParam("file"));
            if (asset == null) throw ConsoleError.notFound("file " + ctx.pathParam("file"));
            // the names do not change within a build, and a stale copy for an hour is harmless
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType(asset.contentType()).result(bytes.get(ctx.pathParam("file")));
        });
    }

    private static byte[] read(Asset asset) {
        try (InputStream in = Assets.class.getResourceAsStream(asset.resource())) {
            if (in == null) throw new IllegalStateException("the console's " + asset.resource() + " is not on the class path;"
                    + " rebuild with mvn package");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
