package io.moxing.bench;

/**
 * What one load run measured on the client side.
 *
 * @param answered   every answer the server gave during the run, warm-up requests of the client included
 *                   (what the server's CPU time over the run is divided by)
 * @param throughput timed requests per second
 * @param errors     answers other than 2xx, and requests that got no answer
 */
record LoadResult(long answered, double throughput, double p50Ms, double p99Ms, int errors) {}
