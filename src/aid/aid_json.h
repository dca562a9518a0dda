/* The humanitarian provisions' result as a JSON object (jansson), for
 * `truce aid -f json` and the layers above that embed it (the statistics). */
#ifndef TRUCE_AID_JSON_H
#define TRUCE_AID_JSON_H

#include <jansson.h>

#include "truce/aid.h"

/* A new object (json_decref it), or NULL when out of memory or `aid` is not
 * finished.  docs/aid.md lists its members. */
json_t *trc_aid_json(const truce_aid *aid);

#endif
