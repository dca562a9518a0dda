/* The timeline renderer: stacked daily bars, a fatalities line on a second
 * axis, marks, axes, legend and title, through the SVG writer
 * (timeline.h). */
#include "truce/timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "render/draw.h"
#include "truce/svg.h"

#define FATALITIES_STROKE "#4a235a"
#define CEASEFIRE_STROKE "#000"
#define AMENDMENT_STROKE "#555"
#define AMENDMENT_DASH "5 3"

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void truce_timeline_input_init(truce_timeline_input *in)
{
    memset(in, 0, sizeof *in);
    in->width_px = 960;
    in->height_px = 400;
    in->first_day = INT64_MIN;
    in->last_day = INT64_MAX;
}

/* A round step (1, 2 or 5 times a power of ten, at least 1) that splits
 * [0, max] into at most about five intervals, and the axis top it gives. */
static void nice_axis(double max, double *step, double *top)
{
    if (!(max > 0))
        max = 1;
    double raw = max / 5, mag = pow(10, floor(log10(raw))), s;
    double f = raw / mag;
    s = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    if (s < 1)
        s = 1;
    *step = s;
    *top = ceil(max / s) * s;
}

/* Geometry shared by the drawing steps. */
typedef struct frame {
    double x0, x1, y0, y1; /* the plot area */
    int64_t first, ndays;  /* the first local day and the number of slots */
    double slot;           /* px per day */
    double count_top, count_step, fat_top, fat_step;
} frame;

static double day_x(const frame *f, double day_offset)
{
    return f->x0 + day_offset * f->slot;
}

static double count_y(const frame *f, double v)
{
    return f->y1 - v / f->count_top * (f->y1 - f->y0);
}

static double fat_y(const frame *f, double v)
{
    return f->y1 - v / f->fat_top * (f->y1 - f->y0);
}

/* The position of an instant, in days from f->first (fraction: local time of day). */
static double mark_offset(const frame *f, const truce_tz *tz, int64_t instant_s)
{
    truce_civil c;
    truce_tz_utc_to_local(tz, instant_s, &c);
    int64_t d = truce_days_from_civil(c.year, c.month, c.day);
    return (double)(d - f->first) + (c.hour * 3600 + c.minute * 60 + c.second) / 86400.0;
}

/* Both value axes with their gridlines and ticks. */
static void draw_axes(truce_svg *svg, const frame *f)
{
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "tl-axes");
    for (double v = 0; v <= f->count_top + f->count_step / 2; v += f->count_step) {
        double y = count_y(f, v);
        char buf[32];
        trc_draw_line(svg, f->x0, y, f->x1, y, v == 0 ? "#444" : "#e3e3e3", 1, NULL);
        trc_draw_line(svg, f->x0 - 4, y, f->x0, y, "#444", 1, NULL);
        snprintf(buf, sizeof buf, "%.0f", v);
        trc_draw_text(svg, f->x0 - 7, y + 4, "end", 11, buf);
    }
    for (double v = 0; v <= f->fat_top + f->fat_step / 2; v += f->fat_step) {
        double y = fat_y(f, v);
        char buf[32];
        trc_draw_line(svg, f->x1, y, f->x1 + 4, y, FATALITIES_STROKE, 1, NULL);
        snprintf(buf, sizeof buf, "%.0f", v);
        trc_draw_text(svg, f->x1 + 7, y + 4, "start", 11, buf);
    }
    trc_draw_line(svg, f->x0, f->y0, f->x0, f->y1, "#444", 1, NULL);
    trc_draw_line(svg, f->x1, f->y0, f->x1, f->y1, FATALITIES_STROKE, 1, NULL);
    double mid = (f->y0 + f->y1) / 2;
    trc_draw_begin_text_turned(svg, f->x0 - 40, mid, -90, "middle", 12);
    truce_svg_text(svg, "events per day");
    truce_svg_end(svg);
    trc_draw_begin_text_turned(svg, f->x1 + 44, mid, 90, "middle", 12);
    truce_svg_attr(svg, "fill", FATALITIES_STROKE);
    truce_svg_text(svg, "fatalities per day");
    truce_svg_end(svg);
    truce_svg_end(svg);
}

/* Date labels along the bottom: every day, or every 2, 3, 7 or 14 days from
 * the first, or the first of each month, or each 1 January, whichever is the
 * densest that leaves a label about 48 px. */
static void draw_dates(truce_svg *svg, const frame *f, const char *tz_name)
{
    static const int steps[] = {1, 2, 3, 7, 14};
    int step = 0, monthly = 0, yearly = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !step; i++)
        if (steps[i] * f->slot >= 48)
            step = steps[i];
    if (!step)
        monthly = 30.4 * f->slot >= 48;
    if (!step && !monthly)
        yearly = 1;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "tl-dates");
    int last_year = -1;
    for (int64_t i = 0; i < f->ndays; i++) {
        int y, m, d;
        truce_civil_from_days(f->first + i, &y, &m, &d);
        int show = step ? i % step == 0 : monthly ? d == 1 : (m == 1 && d == 1);
        if (!show)
            continue;
        double x = day_x(f, (double)i + (step ? 0.5 : 0));
        char buf[32];
        trc_draw_line(svg, x, f->y1, x, f->y1 + 4, "#444", 1, NULL);
        if (yearly)
            snprintf(buf, sizeof buf, "%04d", y % 100000);
        else if (monthly)
            snprintf(buf, sizeof buf, "%s", month_abbr[m - 1]);
        else
            snprintf(buf, sizeof buf, "%02d %s", d, month_abbr[m - 1]);
        trc_draw_text(svg, x, f->y1 + 16, "middle", 11, buf);
        if (!yearly && y != last_year) {
            snprintf(buf, sizeof buf, "%04d", y % 100000);
            trc_draw_text(svg, x, f->y1 + 29, "middle", 11, buf);
        }
        last_year = y;
    }
    char title[128];
    snprintf(title, sizeof title, "local date (%.64s)",
             tz_name ? tz_name : "agreement's time zone");
    trc_draw_text(svg, (f->x0 + f->x1) / 2, f->y1 + 44, "middle", 12, title);
    truce_svg_end(svg);
}

/* The stacked bars, one group per day with events, its tooltip first. */
static void draw_bars(truce_svg *svg, const frame *f, const truce_timeline_input *in)
{
    static const int order[TRUCE_MAP_NCLASSES] = {TRUCE_MAP_BEFORE, TRUCE_MAP_NONE,
                                                  TRUCE_MAP_POSSIBLE, TRUCE_MAP_VIOLATION};
    double gap = f->slot > 4 ? f->slot * 0.15 : 0;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "tl-bars");
    for (size_t i = 0; i < in->ndays; i++) {
        const truce_timeline_day *d = &in->days[i];
        uint64_t total = 0;
        for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
            total += d->events[c];
        if (!total)
            continue;
        int y, m, dd;
        truce_civil_from_days(d->day, &y, &m, &dd);
        truce_svg_begin(svg, "g");
        truce_svg_attr(svg, "class", "tl-day");
        truce_svg_begin(svg, "title");
        truce_svg_text(svg,
                       "%04d-%02d-%02d: %llu events (%llu violations, %llu possible, %llu none, "
                       "%llu before the ceasefire); %lld fatalities",
                       y % 100000, m % 100, dd % 100, (unsigned long long)total,
                       (unsigned long long)d->events[TRUCE_MAP_VIOLATION],
                       (unsigned long long)d->events[TRUCE_MAP_POSSIBLE],
                       (unsigned long long)d->events[TRUCE_MAP_NONE],
                       (unsigned long long)d->events[TRUCE_MAP_BEFORE], (long long)d->fatalities);
        truce_svg_end(svg);
        double x = day_x(f, (double)(d->day - f->first)) + gap / 2, base = 0;
        for (int k = 0; k < TRUCE_MAP_NCLASSES; k++) {
            int c = order[k];
            if (!d->events[c])
                continue;
            double top = base + (double)d->events[c];
            trc_draw_rect(svg, x, count_y(f, top), f->slot - gap,
                          count_y(f, base) - count_y(f, top),
                          truce_map_class_colour((truce_map_class)c));
            base = top;
        }
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

/* Fatalities per day as a line through the middle of each day's slot,
 * days without events at zero. */
static void draw_fatalities(truce_svg *svg, const frame *f, const truce_timeline_input *in)
{
    truce_svg_begin(svg, "path");
    truce_svg_attr(svg, "class", "tl-fatalities");
    truce_svg_attr(svg, "fill", "none");
    truce_svg_attr(svg, "stroke", FATALITIES_STROKE);
    truce_svg_attr(svg, "stroke-width", "1.6");
    truce_svg_attr(svg, "stroke-linejoin", "round");
    truce_svg_attr_open(svg, "d");
    size_t j = 0;
    for (int64_t i = 0; i < f->ndays; i++) {
        while (j < in->ndays && in->days[j].day < f->first + i)
            j++;
        double v =
            j < in->ndays && in->days[j].day == f->first + i ? (double)in->days[j].fatalities : 0;
        truce_svg_attr_append(svg, "%s%.1f %.1f", i ? " L" : "M", day_x(f, (double)i + 0.5),
                              fat_y(f, v));
    }
    truce_svg_attr_close(svg);
    truce_svg_end(svg);
}

/* Marks: a line over the plot's height and its label written upwards on its
 * left, ending at the top of the plot, on a white halo so bars do not hide
 * it (on the left because the days after a ceasefire are the ones looked
 * at). */
static void draw_marks(truce_svg *svg, const frame *f, const truce_timeline_input *in)
{
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "tl-marks");
    for (size_t i = 0; i < in->nmarks; i++) {
        const truce_timeline_mark *m = &in->marks[i];
        double x = day_x(f, mark_offset(f, in->tz, m->instant_s));
        truce_svg_begin(svg, "g");
        truce_svg_attr(svg, "class", m->ceasefire ? "tl-mark tl-ceasefire" : "tl-mark");
        if (m->ceasefire)
            trc_draw_line(svg, x, f->y0 - 6, x, f->y1, CEASEFIRE_STROKE, 2, NULL);
        else
            trc_draw_line(svg, x, f->y0 - 6, x, f->y1, AMENDMENT_STROKE, 1.2, AMENDMENT_DASH);
        trc_draw_begin_text_turned(svg, x - 4, f->y0 + 2, -90, "end", 11);
        truce_svg_attr(svg, "font-weight", m->ceasefire ? "bold" : "normal");
        trc_draw_halo(svg);
        truce_svg_text(svg, "%s", m->label);
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

static void draw_legend(truce_svg *svg, double x, double y)
{
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "tl-legend");
    truce_svg_attr(svg, "font-size", "11");
    static const truce_map_class order[TRUCE_MAP_NCLASSES] = {
        TRUCE_MAP_VIOLATION, TRUCE_MAP_POSSIBLE, TRUCE_MAP_NONE, TRUCE_MAP_BEFORE};
    for (int k = 0; k < TRUCE_MAP_NCLASSES; k++) {
        const char *label = truce_map_class_label(order[k]);
        trc_draw_rect(svg, x, y - 9, 10, 10, truce_map_class_colour(order[k]));
        trc_draw_text(svg, x + 14, y, NULL, 0, label);
        x += 26 + 6.2 * (double)strlen(label);
    }
    trc_draw_line(svg, x, y - 4, x + 18, y - 4, FATALITIES_STROKE, 1.6, NULL);
    trc_draw_text(svg, x + 22, y, NULL, 0, "fatalities");
    x += 90;
    trc_draw_line(svg, x, y - 4, x + 18, y - 4, CEASEFIRE_STROKE, 2, NULL);
    trc_draw_text(svg, x + 22, y, NULL, 0, "ceasefire");
    x += 90;
    trc_draw_line(svg, x, y - 4, x + 18, y - 4, AMENDMENT_STROKE, 1, AMENDMENT_DASH);
    trc_draw_text(svg, x + 22, y, NULL, 0, "amendment");
    truce_svg_end(svg);
}

/* The span of days to draw: the series' and the marks' days. */
static truce_status span(const truce_timeline_input *in, int64_t *first, int64_t *last)
{
    int any = 0;
    *first = *last = 0;
    if (in->ndays) {
        *first = in->days[0].day;
        *last = in->days[in->ndays - 1].day;
        any = 1;
    }
    for (size_t i = 0; i < in->nmarks; i++) {
        int64_t d = truce_timeline_local_day(in->tz, in->marks[i].instant_s);
        if (!any || d < *first)
            *first = d;
        if (!any || d > *last)
            *last = d;
        any = 1;
    }
    if (!any)
        return TRUCE_E_ARG;
    if (*first == *last) {
        --*first;
        ++*last;
    }
    if (*last - *first >= TRUCE_TIMELINE_MAX_DAYS)
        return TRUCE_E_RANGE;
    return TRUCE_OK;
}

/* The note under the title: the caller's, then what the bounds left out
 * here (marks; events of days the caller did not leave out itself). */
static void note_text(const truce_timeline_input *in, size_t marks_out, uint64_t events_out,
                      char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s", in->note ? in->note : "");
    if (events_out && n < size)
        n += (size_t)snprintf(buf + n, size - n, "%s%llu event%s outside the days shown not drawn.",
                              n ? " " : "", (unsigned long long)events_out,
                              events_out == 1 ? "" : "s");
    if (marks_out && n < size)
        snprintf(buf + n, size - n,
                 "%s%zu mark%s of the agreement outside the days shown not drawn.", n ? " " : "",
                 marks_out, marks_out == 1 ? "" : "s");
}

/* Draw `in`, already within its bounds, with `note` under the title. */
static truce_status render(const truce_timeline_input *in, const char *note, int standalone,
                           char **svg_out, size_t *len)
{
    frame f;
    int64_t last;
    truce_status st = span(in, &f.first, &last);
    if (st)
        return st;
    f.ndays = last - f.first + 1;
    f.x0 = 64;
    f.x1 = in->width_px - 64;
    f.y0 = note[0] ? 60 : 44;
    f.y1 = in->height_px - 84;
    f.slot = (f.x1 - f.x0) / (double)f.ndays;
    double max_count = 0, max_fat = 0;
    for (size_t i = 0; i < in->ndays; i++) {
        double total = 0;
        for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
            total += (double)in->days[i].events[c];
        max_count = fmax(max_count, total);
        max_fat = fmax(max_fat, (double)in->days[i].fatalities);
    }
    nice_axis(max_count, &f.count_step, &f.count_top);
    nice_axis(max_fat, &f.fat_step, &f.fat_top);

    truce_svg *svg;
    st = truce_svg_new(in->width_px, in->height_px, &svg);
    if (st)
        return st;
    const char *title = in->title ? in->title : "Events per day";
    truce_svg_attr(svg, "role", "img");
    truce_svg_attr(svg, "aria-label", "%s", title);
    truce_svg_attr(svg, "class", "truce-timeline");
    truce_svg_attr(svg, "font-family", "DejaVu Sans, Helvetica, Arial, sans-serif");
    truce_svg_begin(svg, "title");
    truce_svg_text(svg, "%s", title);
    truce_svg_end(svg);
    trc_draw_rect(svg, 0, 0, in->width_px, in->height_px, "#fff");
    trc_draw_begin_text(svg, f.x0, 22, NULL, 15);
    truce_svg_attr(svg, "font-weight", "bold");
    truce_svg_text(svg, "%s", title);
    truce_svg_end(svg);
    if (note[0]) {
        trc_draw_begin_text(svg, f.x0, 40, NULL, 11);
        truce_svg_attr(svg, "class", "tl-note");
        truce_svg_text(svg, "%s", note);
        truce_svg_end(svg);
    }
    draw_axes(svg, &f);
    draw_bars(svg, &f, in);
    draw_fatalities(svg, &f, in);
    draw_marks(svg, &f, in);
    draw_dates(svg, &f, in->tz_name);
    draw_legend(svg, f.x0, in->height_px - 14);
    return truce_svg_finish(svg, standalone, svg_out, len);
}

truce_status truce_timeline_svg(const truce_timeline_input *in, int standalone, char **svg_out,
                                size_t *len)
{
    if (!svg_out || !len)
        return TRUCE_E_ARG;
    *svg_out = NULL;
    *len = 0;
    if (!in || !in->tz || (in->ndays && !in->days) || (in->nmarks && !in->marks) ||
        !(in->width_px >= 320 && in->width_px <= 20000) ||
        !(in->height_px >= 200 && in->height_px <= 20000) || in->first_day > in->last_day)
        return TRUCE_E_ARG;
    for (size_t i = 0; i < in->ndays; i++)
        if ((i && in->days[i].day <= in->days[i - 1].day) || in->days[i].fatalities < 0)
            return TRUCE_E_ARG;
    /* The days and marks within the bounds. */
    truce_timeline_input view = *in;
    size_t i0 = 0, i1 = in->ndays;
    while (i0 < i1 && in->days[i0].day < in->first_day)
        i0++;
    while (i1 > i0 && in->days[i1 - 1].day > in->last_day)
        i1--;
    uint64_t events_out = 0;
    for (size_t i = 0; i < in->ndays; i++)
        if (i < i0 || i >= i1)
            for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
                events_out += in->days[i].events[c];
    view.days = in->days + i0;
    view.ndays = i1 - i0;
    truce_timeline_mark *kept = in->nmarks ? trc_malloc(in->nmarks * sizeof *kept) : NULL;
    if (in->nmarks && !kept)
        return TRUCE_E_NOMEM;
    view.nmarks = 0;
    for (size_t i = 0; i < in->nmarks; i++) {
        int64_t d = truce_timeline_local_day(in->tz, in->marks[i].instant_s);
        if (d >= in->first_day && d <= in->last_day)
            kept[view.nmarks++] = in->marks[i];
    }
    view.marks = kept;
    char note[1200];
    note_text(in, in->nmarks - view.nmarks, events_out, note, sizeof note);
    truce_status st = render(&view, note, standalone, svg_out, len);
    trc_free(kept);
    return st;
}
