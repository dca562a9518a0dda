/* Rules of the one ISO 8601 parser beyond truce_time_parse's (not public
 * API): what the time layer offers the GPX reader (track/), which reads
 * <time> with it too. */
#ifndef TRUCE_TIME_RULES_H
#define TRUCE_TIME_RULES_H

#include "truce/time.h"

/* xsd:dateTime as GPX files carry it: a date-time with seconds, "T" (or
 * "t", not a space) between date and time, an optional fraction of a second
 * (any number of digits), and "Z" (or "z"), "+HH:MM" or "+HHMM" (also "-")
 * or no zone (TRUCE_TIME_LOCAL: the caller says what that means). */
#define TRC_TIME_XSD 1u

/* Parse `text` as truce_time_parse does, with the rules in `rules` (0 or
 * TRC_TIME_XSD) added; the fraction of a second goes to *fraction_s, in
 * [0, 1) (NULL: not wanted; 0 without one).  The same statuses. */
truce_status trc_time_parse(const char *text, unsigned rules, truce_time_value *out,
                            double *fraction_s);

#endif
