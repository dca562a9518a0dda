/* An example of libtruce used from another program, through the installed
 * headers and pkg-config only (examples/README.md):
 *
 *   idlib AGREEMENT
 *
 * loads an agreement (data/idlib-2020/agreement.geojson), measures a point
 * near Ariha against its M4 corridor, and judges one event: shelling by
 * government forces on the first ceasefire day near Ma`arrat an-Nu`man.
 * Exit status 0 when all went well, 1 otherwise. */
#include <math.h>
#include <stdio.h>

#include <truce/agreement.h>
#include <truce/classify.h>
#include <truce/corridor.h>
#include <truce/diag.h>
#include <truce/event.h>
#include <truce/status.h>
#include <truce/time.h>
#include <truce/version.h>

/* An instant written in ISO 8601 (with Z or an offset) as POSIX seconds. */
static int instant(const char *text, int64_t *out)
{
    truce_time_value v;
    return truce_time_parse(text, &v) || truce_time_value_instant(&v, out);
}

static int measure(const truce_agreement *agreement)
{
    const truce_corridor_def *def = truce_agreement_corridor(agreement, "m4");
    if (!def) {
        fprintf(stderr, "idlib: the agreement has no corridor \"m4\"\n");
        return 1;
    }
    truce_corridor *corridor = NULL;
    truce_status st = truce_corridor_from_def(def, -1, -1, &corridor); /* its own depths */
    if (st) {
        fprintf(stderr, "idlib: corridor m4: %s\n", truce_strerror(st));
        return 1;
    }
    const double lon = 36.6, lat = 35.84; /* north-west of Ariha */
    truce_measure m;
    int inside = 0;
    st = truce_corridor_measure(corridor, lon, lat, &m);
    if (!st)
        st = truce_corridor_decide(corridor, lon, lat, &inside);
    if (st) {
        fprintf(stderr, "idlib: measure: %s\n", truce_strerror(st));
        truce_corridor_free(corridor);
        return 1;
    }
    printf("point %.4f,%.4f: %.0f m %s of the M4 at km %.1f, %s the corridor (%.0f km long)\n", lon,
           lat, m.distance_m, m.side == TRUCE_SIDE_LEFT ? "left" : "right", m.chainage_m / 1000,
           inside ? "inside" : "outside", truce_corridor_length_m(corridor) / 1000);
    truce_corridor_free(corridor);
    return 0;
}

static int judge(const truce_agreement *agreement)
{
    truce_event event;
    truce_event_init(&event);
    event.id = "example-1";
    event.event_type = "shelling";
    event.actor1 = "Syrian government forces";
    event.has_location = 1;
    event.lon = 36.67693;
    event.lat = 35.6483;
    event.radius_m = 2000;
    /* The whole local day of 6 March 2020 in Damascus (UTC+2). */
    if (instant("2020-03-06T00:00:00+02:00", &event.start_s) ||
        instant("2020-03-07T00:00:00+02:00", &event.end_s)) {
        fprintf(stderr, "idlib: bad instant\n");
        return 1;
    }

    truce_classifier *classifier = NULL;
    truce_status st = truce_classifier_new(agreement, &classifier);
    truce_verdict verdict;
    if (!st)
        st = truce_classify(classifier, &event, &verdict);
    if (st) {
        fprintf(stderr, "idlib: judge: %s\n", truce_strerror(st));
        truce_classifier_free(classifier);
        return 1;
    }
    printf("event %s: %s, %s (rule %s): %s\n", event.id, truce_phase_name(verdict.phase),
           truce_violation_name(verdict.violation), verdict.rule ? verdict.rule->id : "none",
           verdict.reason);
    for (size_t i = 0; i < verdict.ncorridors; i++) {
        const truce_corridor_verdict *c = &verdict.corridors[i];
        if (c->in_force && !isnan(c->distance_m))
            printf("  corridor %s: %.0f m away at km %.1f\n", c->corridor->id, c->distance_m,
                   c->chainage_m / 1000);
    }
    truce_classifier_free(classifier);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: idlib AGREEMENT\n");
        return 2;
    }
    printf("libtruce %s (headers %s)\n", truce_version(), TRUCE_VERSION_STRING);

    truce_diags diags;
    truce_diags_init(&diags);
    truce_agreement *agreement = NULL;
    truce_status st = truce_agreement_load(argv[1], &agreement, &diags);
    for (size_t i = 0; i < diags.count; i++)
        truce_diag_print(&diags.items[i], stderr);
    truce_diags_release(&diags);
    if (st) {
        fprintf(stderr, "idlib: %s: %s\n", argv[1], truce_strerror(st));
        return 1;
    }
    printf("agreement %s: zones %zu, corridors %zu, rules %zu\n", agreement->id, agreement->nzones,
           agreement->ncorridors, agreement->nrules);

    int failed = measure(agreement) || judge(agreement);
    truce_agreement_free(agreement);
    return failed;
}
