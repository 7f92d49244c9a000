package io.moxing.billing;

/** An authenticated client: its key, its tenant and the plan the tenant is on now. */
public record Caller(ApiKey key, Tenant tenant, Plan plan) {}
