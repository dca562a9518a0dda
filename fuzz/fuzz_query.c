/* Fuzz target: what truce serve reads from a query and from the store for
 * its listings.  An even first byte: the rest is a query string
 * ("name=value&...", not percent-decoded) whose parameters go to
 * truce_event_filter_set (datetime and bbox among them) and, when all are
 * taken, truce_event_filter_check; the canonical query it writes must read
 * back (percent-decoded) to a filter that writes the same text.  An odd
 * first byte: the rest is a stored event's JSON for
 * truce_store_event_feature, which must answer OK or ARG, and when the
 * input is a JSON object its Feature must be JSON too. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/event_filter.h"
#include "truce/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set each "name=value" of q (its bytes, '&' between) on f: 0 when every
 * one was taken. */
static int set_all(truce_event_filter *f, char *q, int decode)
{
    int taken = 1;
    for (char *save = NULL, *p = strtok_r(q, "&", &save); p; p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *v = eq + 1;
        if (decode) {
            char *w = v;
            for (const char *r = v; *r; r++) {
                unsigned hex;
                if (*r == '%' && sscanf(r + 1, "%2x", &hex) == 1) {
                    *w++ = (char)hex;
                    r += 2;
                } else {
                    *w++ = *r;
                }
            }
            *w = '\0';
        }
        char why[200];
        truce_status st = truce_event_filter_set(f, p, v, NULL, why, sizeof why);
        if (st != TRUCE_OK && st != TRUCE_E_NOT_FOUND && st != TRUCE_E_INVALID)
            abort();
        if (st == TRUCE_E_INVALID && (!why[0] || strchr(why, '\n')))
            abort(); /* a refusal says why, on one line */
        taken = taken && st == TRUCE_OK;
    }
    return taken;
}

static void query(const uint8_t *data, size_t size)
{
    char *q = malloc(size + 1);
    if (!q)
        return;
    memcpy(q, data, size);
    q[size] = '\0';
    truce_event_filter f, g;
    truce_event_filter_init(&f);
    const char *param;
    char why[200];
    if (set_all(&f, q, 0) && truce_event_filter_check(&f, &param, why, sizeof why) == TRUCE_OK) {
        truce_text a = {0}, b = {0};
        if (truce_event_filter_query(&f, &a) == TRUCE_OK) {
            char *copy = malloc(a.len + 1);
            if (copy) {
                memcpy(copy, a.p ? a.p : "", a.len);
                copy[a.len] = '\0';
            }
            truce_event_filter_init(&g);
            if (copy && !set_all(&g, copy, 1))
                abort(); /* the canonical query does not read back */
            if (copy && (truce_event_filter_query(&g, &b) != TRUCE_OK ||
                         strcmp(a.p ? a.p : "", b.p ? b.p : "")))
                abort(); /* ...or reads back to another filter */
            free(copy);
        }
        truce_text_release(&a);
        truce_text_release(&b);
    }
    free(q);
}

static void feature(const uint8_t *data, size_t size)
{
    truce_text out = {0};
    truce_status st = truce_store_event_feature((const char *)data, size, &out);
    if (st != TRUCE_OK && st != TRUCE_E_ARG && st != TRUCE_E_NOMEM)
        abort();
    /* The store's JSON has each member once: with a member twice, which
     * one counts is not promised. */
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (st == TRUCE_OK && json_is_object(in)) {
        json_t *f = json_loadb(out.p, out.len, JSON_REJECT_DUPLICATES, NULL);
        json_t *lon = json_object_get(in, "lon"), *lat = json_object_get(in, "lat");
        json_t *xy = json_object_get(json_object_get(f, "geometry"), "coordinates");
        int point = json_is_number(lon) && json_is_number(lat);
        if (!json_is_object(f) || !json_equal(json_object_get(f, "properties"), in) ||
            !json_equal(json_object_get(f, "id"), json_object_get(in, "id")) ||
            point != json_is_array(xy) ||
            (point && (json_number_value(json_array_get(xy, 0)) != json_number_value(lon) ||
                       json_number_value(json_array_get(xy, 1)) != json_number_value(lat))))
            abort();
        json_decref(f);
    }
    if (st == TRUCE_E_ARG && json_is_object(in) && json_is_string(json_object_get(in, "id")) &&
        json_object_size(in) == 1)
        abort(); /* a well-formed object with a string id is a Feature */
    json_decref(in);
    truce_text_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    if (data[0] & 1)
        feature(data + 1, size - 1);
    else
        query(data + 1, size - 1);
    return 0;
}
