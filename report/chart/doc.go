// Package chart draws the line, area and scatter charts of callcheck's load
// reports as inline SVG: no script, no fonts, no network, styled by the
// page's CSS classes, readable by screen readers (role="img" with a title
// and a description) and with the same numbers as a data table beside it.
//
// A small hand-written renderer rather than a plotting library: the
// libraries that write SVG embed their own styles and fonts, cannot carry
// the accessibility attributes or the percentile axis of HdrHistogram's
// plots, and make golden files depend on their version.
package chart
