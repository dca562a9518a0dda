/* libFuzzer target: the request bodies of truce serve.  The first byte
 * picks the parser: even, a report (truce_event_read_json: a normalised
 * event object or a GeoJSON Feature, read by the JSON Lines or GeoJSON
 * reader, with a default id); odd, a review (truce_review_request_read).
 * Checks their promises: an accepted event has an id and a valid interval;
 * a refusal says why in one line and names a field no longer than its
 * buffer; nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/reader.h"
#include "truce/review.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_line(const char *why)
{
    if (!why[0] || strchr(why, '\n'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    char why[300];
    if (!(data[0] & 1)) {
        char field[96];
        truce_event_doc *doc;
        truce_status st = truce_event_read_json(body, len, NULL, data[0] & 2 ? "fuzz-id" : NULL,
                                                NULL, &doc, field, sizeof field, why, sizeof why);
        if (st == TRUCE_OK) {
            const truce_event *e = truce_event_doc_event(doc);
            if (!e || !e->id || e->start_s >= e->end_s)
                abort();
            if (e->has_location && (e->lon < -180 || e->lon > 180 || e->lat < -90 || e->lat > 90))
                abort();
            truce_event_doc_free(doc);
        } else {
            if (doc || strlen(field) >= sizeof field)
                abort();
            one_line(why);
        }
        return 0;
    }
    truce_review_request rq;
    const char *field;
    truce_status st = truce_review_request_read(body, len, &rq, &field, why, sizeof why);
    if (st == TRUCE_OK) {
        if (rq.action > TRUCE_REVIEW_COMMENT)
            abort();
        if (rq.note && strlen(rq.note) > TRUCE_REVIEW_NOTE_MAX)
            abort();
        truce_review_request_release(&rq);
    } else {
        one_line(why);
    }
    return 0;
}
