package io.moxing.http;

import io.javalin.http.Context;

/**
 * The {@code limit} query parameter of a listing route: how many entries to answer, a whole number from 1 to the
 * route's most. One reading and one refusal ({@code invalid_limit}, naming the range and what was sent) for every
 * route, so a client's handling of one works for all.
 */
final class LimitParameter {
    private LimitParameter() {}

    /** The limit the request asks for, {@code fallback} when it asks none. */
    static int of(Context ctx, int fallback, int most) {
        String text = ctx.queryParam("limit");
        if (text == null) return fallback;
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= most) return limit;
        } catch (NumberFormatException e) {
            // answered below, as a number out of range is
        }
        throw new ApiError(400, "invalid_limit", "query parameter \"limit\" must be a whole number from 1 to " + most
                + ", not '" + InferenceCore.echo(text) + "'", "limit");
    }
}
