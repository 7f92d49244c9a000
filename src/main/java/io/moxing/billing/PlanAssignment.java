package io.moxing.billing;

/** From {@code effectiveFrom} (epoch ms) on, the tenant is on {@code plan}, until its next assignment. */
public record PlanAssignment(String tenantId, String plan, long effectiveFrom) {}
