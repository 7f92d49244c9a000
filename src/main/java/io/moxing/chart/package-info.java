/**
 * Pictures people would rather look at than read: line and bar charts with round-number or logarithmic axes,
 * confusion-matrix heat maps, self-contained HTML pages. Curves are lines; a few measurements are markers or bars.
 */
package io.moxing.chart;
