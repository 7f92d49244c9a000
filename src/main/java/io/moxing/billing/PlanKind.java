package io.moxing.billing;

/** How a plan charges: not at all (with a quota), a monthly fee with included units, or per use. */
public enum PlanKind {
    FREE, SUBSCRIPTION, PAY_PER_USE;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static PlanKind parse(String text) {
        for (PlanKind k : values()) {
            if (k.name().equalsIgnoreCase(text.replace('-', '_'))) return k;
        }
        throw new io.moxing.core.UserException("invalid_field", "plan kind '" + text
                + "' is not one of free, subscription, pay-per-use");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
