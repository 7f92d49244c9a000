package io.moxing.billing;

import io.moxing.core.UserException;
import java.math.BigDecimal;

/**
 * What serving costs us: the price of one hour of model compute on the serving hardware (a CPU-hour or
 * a GPU-hour: a worker busy for an hour) and the fixed costs of a month (machines kept on, staff, licences).
 */
public record Costs(String currency, BigDecimal perComputeHour, String hardware, BigDecimal fixedMonthly) {
    public static final Costs DEFAULT = new Costs("USD", new BigDecimal("0.10"), "cpu", new BigDecimal("0"));

    public Costs {
        if (perComputeHour == null || perComputeHour.signum() < 0) {
            throw new UserException("invalid_field", "cost per compute-hour must be a non-negative amount, e.g. 0.10");
        }
        if (fixedMonthly == null || fixedMonthly.signum() < 0) {
            throw new UserException("invalid_field", "fixed monthly cost must be a non-negative amount, e.g. 200");
        }
        if (hardware == null || !(hardware.equals("cpu") || hardware.equals("gpu"))) {
            throw new UserException("invalid_field", "hardware must be cpu or gpu");
        }
        if (currency == null) currency = "USD";
    }
}
