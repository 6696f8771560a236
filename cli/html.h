/* HTML text: the one place that escapes for the HTML report.
 *
 * Whatever its bytes, escaped text is valid in HTML5 element content and
 * in quoted attribute values, and also well-formed XML (the report is
 * written as polyglot markup, which lets the tests parse it strictly):
 * & < > " ' become character references, invalid UTF-8 becomes U+FFFD,
 * control characters other than tab and line breaks their visible symbol
 * from the Control Pictures block (U+0001 as U+2401), C1 controls,
 * noncharacters and the bidirectional overrides that could reorder what a
 * reader sees become U+FFFD.  Other text passes unchanged.
 */
#ifndef TD_HTML_H
#define TD_HTML_H

#include <stdio.h>

#include "str.h"

/* Writes s, escaped, to f. */
void td_html_escape(FILE *f, struct td_str s);
/* Same for a C string; NULL writes nothing. */
void td_html_cstr(FILE *f, const char *z);
/* Writes markup `before`, then text escaped (NULL: nothing), then markup
 * `after`. */
void td_html_put(FILE *f, const char *before, const char *text, const char *after);
/* Opens a top-level section of the report: <section id="id"> labelled by
 * its <h2>title</h2> (id and title are markup, not escaped). */
void td_html_section(FILE *f, const char *id, const char *title);

struct td_run_report;

/* Writes the report's "Timeline of failures" section: an inline SVG chart
 * with a row per source (input file) grouped by host (the input's machine,
 * else the host the event names), UTC time across, and a mark per event
 * coloured and shaped by severity with a <title> tooltip, then a table of
 * the same counts.  It draws r->timeline when the run collected one, else
 * the evidence of the findings. */
void td_html_timeline(FILE *f, const struct td_run_report *r);

#endif
