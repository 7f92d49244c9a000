/** Pictures people would rather look at than read: line charts, confusion-matrix heat maps, self-contained HTML pages. */
package io.moxing.chart;
