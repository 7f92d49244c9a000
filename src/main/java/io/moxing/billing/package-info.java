/**
 * The business layer's domain: tenants, plans, API keys, admission (authentication, rate limits,
 * quotas), usage metering, invoices and unit economics. Knows nothing of HTTP, SQL or the CLI: the
 * store package implements its ports, the serve and cli packages call it.
 */
package io.moxing.billing;
