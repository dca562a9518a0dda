/* truce — responses: "each side keeps the right to respond to attacks".
 *
 * An event by one party that comes within a time window and a distance after
 * an attack on that party by another is linked to the attack as a response.
 * Parties are the events' actors: an event E responds to an earlier attack A
 * when E's actor1 is A's actor2 (the party attacked in A acts in E), A's
 * actor1 is another party, E starts no earlier than A and within `window_s`
 * of A's start, and the geodesic distance between their places is at most
 * `distance_m`.  Actor names are compared ignoring ASCII case.  Of several
 * such attacks the latest is taken (ties: the nearer).
 *
 * The linker streams: it remembers the attacks of the last `window_s`
 * (measured from the latest start it has seen), so memory is bounded by the
 * attacks in one window.  It links a response only to attacks that came
 * before it in the input; input sorted by time gives every link, and an
 * attack read after its response is not found (docs/classify.md).
 */
#ifndef TRUCE_RESPONSE_H
#define TRUCE_RESPONSE_H

#include <stddef.h>

#include "truce/event.h"
#include "truce/status.h"

typedef struct truce_responder truce_responder;

/* A linker for windows of `window_s` seconds (> 0) and `distance_m` metres
 * (>= 0).  *out is new (truce_responder_free).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_responder_new(double window_s, double distance_m, truce_responder **out);

void truce_responder_free(truce_responder *r);

/* Look for the attack that `event` responds to, then remember `event` as an
 * attack when `is_attack` (and it names actor1 and actor2 and a place).
 * *response_to gets the attack's id (a string owned by the responder, valid
 * until the next call) or NULL; *delay_s and *distance_m (may be NULL) the
 * time from the attack's start and the distance.  TRUCE_E_NOMEM. */
truce_status truce_responder_link(truce_responder *r, const truce_event *event, int is_attack,
                                  const char **response_to, double *delay_s, double *distance_m);

#endif
