package io.moxing.console;

import io.javalin.http.Context;
import io.moxing.console.view.Pager;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One page of a list: which rows a request asks for ({@code ?page=N}, from 1; a page with two lists names them apart) and the links to its neighbours, which
 * keep the request's other parameters (a list's filters). A source is asked for one row more than a page holds, so
 * that whether a next page exists is known without counting every row.
 */
record Paging(int page, int size, String param) {
    static final int SIZE = 20;

    static Paging of(Context ctx) {
        return of(ctx, "page");
    }

    /** The page a request asks for in {@code param}: a page with two lists pages each under its own name. */
    static Paging of(Context ctx, String param) {
        String p = ctx.queryParam(param);
        int page;
        try {
            page = p == null || p.isBlank() ? 1 : Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            page = 1;
        }
        return new Paging(Math.max(1, Math.min(page, 100_000)), SIZE, param);
    }

    int offset() {
        return (page - 1) * size;
    }

    /** Rows to ask a source for: a page and one more, to learn whether there is a next page. */
    int probe() {
        return size + 1;
    }

    /** This page's rows of a whole list already in memory (a small one: invoices, grouped sums, run ids). */
    <T> List<T> slice(List<T> all) {
        int from = Math.min(offset(), all.size());
        return all.subList(from, Math.min(all.size(), from + probe()));
    }

    /** The rows to show of what {@link #probe()} or {@link #slice} returned. */
    <T> List<T> shown(List<T> probed) {
        return probed.size() > size ? probed.subList(0, size) : probed;
    }

    /** The links of a page whose source returned {@code probed} rows, to {@code path} with the request's parameters. */
    Pager pager(Context ctx, String path, List<?> probed) {
        return new Pager(page, page > 1 ? href(ctx, path, page - 1) : null, probed.size() > size ? href(ctx, path, page + 1) : null);
    }

    private String href(Context ctx, String path, int page) {
        String kept = ctx.queryParamMap().entrySet().stream().filter(e -> !e.getKey().equals(param))
                .flatMap(e -> e.getValue().stream().map(v -> Map.entry(e.getKey(), v)))
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return path + "?" + (kept.isEmpty() ? "" : kept + "&") + param + "=" + page;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
