package io.moxing.chart;

/** How a chart maps values to an axis. */
public enum Scale {
    /** Evenly spaced values. */
    LINEAR,
    /** Evenly spaced decades, for values that span several of them (requests a month, costs); only positive values show. */
    LOG,
    /** Logarithmic when every value is positive and the largest is more than a hundred times the smallest, else linear. */
    AUTO
}
