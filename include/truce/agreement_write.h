/* truce — writing an agreement's summary: what `truce check` prints once an
 * agreement is valid (its parties, ceasefire, zones, corridors, patrol
 * routes, rules and amendments), as text or JSON (docs/cli.md), for any
 * program that loads agreements.  JSON is built with jansson.
 */
#ifndef TRUCE_AGREEMENT_WRITE_H
#define TRUCE_AGREEMENT_WRITE_H

#include <stdio.h>

#include "truce/agreement.h"
#include "truce/amendment.h"
#include "truce/status.h"

typedef enum truce_agreement_format {
    TRUCE_AGREEMENT_TEXT = 0, /* a block per kind of thing, for a monitor to read */
    TRUCE_AGREEMENT_JSON = 1  /* one object, indented by 2 */
} truce_agreement_format;

/* Write the summary of `agreement`, with its amendments `am` (as
 * truce_amendments_collect gives them), to `out` in `format`.  TRUCE_E_ARG
 * for a NULL argument or a format out of range, TRUCE_E_NOMEM, TRUCE_E_IO
 * when `out` has its error indicator set afterwards. */
truce_status truce_agreement_summary_write(FILE *out, const truce_agreement *agreement,
                                           const truce_amendments *am,
                                           truce_agreement_format format);

#endif
