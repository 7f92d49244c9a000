package io.moxing.http;

import io.javalin.http.Context;
import io.moxing.core.Echo;

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
        // ASCII digits only: Integer.parseInt also takes a sign and other scripts' digits ("+5", "٥")
        boolean digits = !text.isEmpty() && text.length() <= 9;
        for (int i = 0; digits && i < text.length(); i++) digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        int limit = digits ? Integer.parseInt(text) : -1;
        if (limit >= 1 && limit <= most) return limit;
        throw new ApiError(400, "invalid_limit", "query parameter \"limit\" must be a whole number from 1 to " + most
                + ", not '" + Echo.of(text) + "'", "limit");
    }
}
