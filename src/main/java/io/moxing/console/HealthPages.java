package io.moxing.console;

import io.javalin.Javalin;
import io.moxing.console.view.SystemViews.Health;
import io.moxing.core.Json;
import java.util.Map;

/**
 * Server health: requests per second, latency percentiles, batch sizes and queue depth over the last minutes, read
 * from the server's own Micrometer registry (the figures {@code GET /metrics} exposes) by {@link HealthSeries} and
 * redrawn by the page from {@value #SERIES} every {@value #EVERY_SECONDS} seconds.
 */
final class HealthPages {
    static final String PATH = "/console/ops/health";
    static final String SERIES = PATH + "/series";
    static final int EVERY_SECONDS = 2;
    private final HealthSeries series;
    private final Pages pages;

    HealthPages(HealthSeries series, Pages pages) {
        this.series = series;
        this.pages = pages;
    }

    void register(Javalin app) {
        app.get(PATH, ctx -> pages.render(ctx, "ops/health.jte", new Health(pages.frame(ctx, "Server health"), SERIES,
                EVERY_SECONDS, HealthSeries.WINDOW_MINUTES)));
        app.get(SERIES, ctx -> ctx.contentType("application/json").result(Json.line(Map.of("charts", series.charts(),
                "done", false))));
    }
}
