/* Writing measured points as CSV rows: see measure_write.h.  The bytes are
 * those `truce measure` wrote when it formatted them itself. */
#include "truce/measure_write.h"

#include <string.h>

#include "truce/road.h"

void truce_measure_write_header(FILE *out, int with_inside)
{
    fputs(with_inside ? "lon,lat,distance_m,chainage_m,side,inside\n"
                      : "lon,lat,distance_m,chainage_m,side\n",
          out);
}

/* The text from s to e without the blanks around it. */
static void token(const char *s, const char *e, const char **ts, int *tn)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *ts = s;
    *tn = (int)(e - s);
}

truce_status truce_measure_write_row(FILE *out, const truce_corridor *c, const char *line,
                                     int with_inside, int *inside)
{
    if (!out || !c || !line)
        return TRUCE_E_ARG;
    double lon, lat;
    truce_status st = truce_lonlat_parse(line, &lon, &lat);
    if (st)
        return st;
    truce_measure m;
    truce_corridor_measure(c, lon, lat, &m);
    const char *comma = strchr(line, ',');
    const char *ts, *us;
    int tn, un;
    token(line, comma, &ts, &tn);
    token(comma + 1, line + strlen(line), &us, &un);
    fprintf(out, "%.*s,%.*s,%.6f,%.6f,%c", tn, ts, un, us, m.distance_m, m.chainage_m,
            m.side == TRUCE_SIDE_LEFT ? 'L' : 'R');
    if (with_inside) {
        /* What truce_corridor_decide answers, from the measure at hand. */
        double limit =
            m.side == TRUCE_SIDE_LEFT ? truce_corridor_left_m(c) : truce_corridor_right_m(c);
        int in = m.distance_m <= limit;
        if (inside)
            *inside = in;
        fprintf(out, ",%d", in);
    }
    fputc('\n', out);
    return TRUCE_OK;
}
