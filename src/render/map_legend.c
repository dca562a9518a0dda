/* The map's furniture: title and dates, legend, scale bar and north arrow
 * (map_internal.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"
#include "truce/version.h"

/* An estimate of a character's advance in the sans-serif font, as a share
 * of the font size (DejaVu Sans averages a little under 0.6). */
#define CHAR_EM 0.58

/* Bytes of the first `chars` characters of a UTF-8 string (or all of it). */
static size_t utf8_prefix(const char *s, size_t len, size_t chars)
{
    size_t i = 0, n = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == chars)
            break;
        i++;
    }
    return i;
}

static size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static void tspan(truce_svg *svg, double x, double y, const char *s, size_t len, int ellipsis)
{
    truce_svg_begin(svg, "tspan");
    truce_svg_attr(svg, "x", "%.1f", x);
    truce_svg_attr(svg, "y", "%.1f", y);
    truce_svg_text(svg, "%.*s%s", (int)len, s, ellipsis ? "\xe2\x80\xa6" : "");
    truce_svg_end(svg);
}

int trc_map_text_lines(truce_svg *svg, const char *text, double x, double y, double font_px,
                       double line_px, double max_px, int max_lines)
{
    size_t max_chars = (size_t)fmax(4, max_px / (CHAR_EM * font_px));
    const char *s = text;
    int lines = 0;
    while (*s && lines < max_lines) {
        while (*s == ' ')
            s++;
        size_t rest = strlen(s);
        if (!rest)
            break;
        size_t len = rest;
        int last = lines + 1 == max_lines;
        if (utf8_count(s, rest) > max_chars) {
            /* Break at the last space that fits, else cut the word. */
            size_t fit = utf8_prefix(s, rest, max_chars);
            len = fit;
            while (len > 0 && s[len] != ' ')
                len--;
            if (len == 0 || last)
                len = last ? utf8_prefix(s, rest, max_chars - 1) : fit;
        }
        if (svg)
            tspan(svg, x, y + line_px * lines, s, len, last && len < rest);
        lines++;
        s += len;
    }
    return lines;
}

/* ---- title band -------------------------------------------------------- */

static void format_offset(int32_t off_s, char buf[8])
{
    int32_t a = off_s < 0 ? -off_s : off_s;
    snprintf(buf, 8, "%c%02d:%02d", off_s < 0 ? '-' : '+', (int)(a / 3600 % 100),
             (int)(a / 60 % 60));
}

void trc_map_draw_title(truce_svg *svg, const map_frame *f, const truce_agreement *a,
                        const truce_map_options *opt)
{
    const map_layout *l = &f->layout;
    const char *title = opt->title ? opt->title : a->title ? a->title : a->id ? a->id : "truce map";
    int roomy = l->title_h >= 80;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "title");
    truce_svg_attr(svg, "font-family", MAP_FONT);
    truce_svg_attr(svg, "fill", "#1a1a1a");
    truce_svg_begin(svg, "text");
    truce_svg_attr(svg, "class", "map-title");
    truce_svg_attr(svg, "font-size", "%d", roomy ? 16 : 14);
    truce_svg_attr(svg, "font-weight", "bold");
    int n =
        trc_map_text_lines(svg, title, 12, 22, roomy ? 16 : 14, 19, l->width - 24, roomy ? 2 : 1);
    truce_svg_end(svg);

    char local[20], utc[21], off[8], line[512];
    truce_civil_format(&a->ceasefire_local, local);
    truce_time_format_utc(a->ceasefire_s, utc);
    format_offset(a->ceasefire_offset_s, off);
    int at = snprintf(line, sizeof line, "Ceasefire %.10s %.5s %s (UTC%s) = %.10s %.5s UTC", local,
                      local + 11, a->timezone_name ? a->timezone_name : "", off, utc, utc + 11);
    for (size_t i = 0; i < a->parties.count && at > 0 && (size_t)at < sizeof line; i++)
        at += snprintf(line + at, sizeof line - (size_t)at, "%s%s",
                       i ? ", " : " \xc2\xb7 Parties: ", a->parties.items[i]);
    double y = 22 + 19 * n - 2;
    truce_svg_begin(svg, "text");
    truce_svg_attr(svg, "class", "map-dates");
    truce_svg_attr(svg, "font-size", "12");
    trc_map_text_lines(svg, line, 12, y, 12, 14, l->width - 24, 1);
    truce_svg_end(svg);
    if (opt->note && roomy) {
        truce_svg_begin(svg, "text");
        truce_svg_attr(svg, "class", "map-note");
        truce_svg_attr(svg, "font-size", "11");
        truce_svg_attr(svg, "fill", "#555555");
        trc_map_text_lines(svg, opt->note, 12, y + 15, 11, 13, l->width - 24, 1);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

/* ---- legend ------------------------------------------------------------ */

typedef struct legend {
    truce_svg *svg;
    double x, y, w; /* the next row's left edge and baseline; the panel's text width */
    double bottom;  /* the lowest baseline rows may use */
} legend;

static void heading(legend *g, const char *text)
{
    g->y += 8;
    trc_draw_begin_text(g->svg, g->x, g->y, NULL, 13);
    truce_svg_attr(g->svg, "font-weight", "bold");
    truce_svg_text(g->svg, "%s", text);
    truce_svg_end(g->svg);
    g->y += 20;
}

/* A row's text right of its 24-px symbol, wrapped to ROW_LINES lines (a
 * narrow legend needs three for "Idlib de-escalation area"). */
#define ROW_LINES 3

static void row_text(legend *g, const char *text)
{
    truce_svg_begin(g->svg, "text");
    truce_svg_attr(g->svg, "font-size", "11.5");
    int n = trc_map_text_lines(g->svg, text, g->x + 30, g->y + 4, 11.5, 13, g->w - 30, ROW_LINES);
    truce_svg_end(g->svg);
    g->y += 20 + 13 * (n > 1 ? n - 1 : 0);
}

/* The sample of a layer's style: a filled box, or a line. */
static void sample(legend *g, const map_style *s)
{
    if (strcmp(s->fill, "none")) {
        trc_draw_begin_rect(g->svg, NULL, g->x, g->y - 7, 22, 13, s->fill);
    } else {
        truce_svg_begin(g->svg, "path");
        truce_svg_attr(g->svg, "d", "M%.1f %.1fh22", g->x, g->y);
        truce_svg_attr(g->svg, "fill", "none");
    }
    if (s->fill_opacity < 1)
        truce_svg_attr(g->svg, "fill-opacity", "%.2f", s->fill_opacity);
    truce_svg_attr(g->svg, "stroke", "%s", s->stroke);
    truce_svg_attr(g->svg, "stroke-width", "%.1f", s->stroke_width);
    if (s->dash)
        truce_svg_attr(g->svg, "stroke-dasharray", "%s", s->dash);
    truce_svg_end(g->svg);
}

static void dot(legend *g, double cx, double cy, double r, const char *fill)
{
    truce_svg_begin(g->svg, "circle");
    truce_svg_attr(g->svg, "cx", "%.1f", cx);
    truce_svg_attr(g->svg, "cy", "%.1f", cy);
    truce_svg_attr(g->svg, "r", "%.1f", r);
    truce_svg_attr(g->svg, "fill", "%s", fill);
    truce_svg_attr(g->svg, "stroke", "#ffffff");
    truce_svg_attr(g->svg, "stroke-width", "0.8");
    truce_svg_end(g->svg);
}

/* The size key: circles for 1, 10, 100, ... up to the largest count drawn
 * (at most three), side by side, each labelled. */
static void size_key(legend *g, const map_event_summary *sum, double most, const char *what)
{
    double values[3];
    int n = 0;
    for (double v = 1; v <= fmax(most, 1) && n < 3; v *= 10)
        values[n++] = v;
    if (n == 3 && most > values[2] * 3) /* show the top of the range */
        values[0] = values[1], values[1] = values[2], values[2] = pow(10, floor(log10(most)));
    g->y += 4;
    truce_svg_begin(g->svg, "text");
    truce_svg_attr(g->svg, "font-size", "11.5");
    int lines = trc_map_text_lines(g->svg, what, g->x, g->y, 11.5, 13, g->w, 2);
    truce_svg_end(g->svg);
    g->y += 13.0 * (lines > 1 ? lines - 1 : 0);
    double rmax = trc_map_radius(values[n - 1], sum->factor);
    double cx = g->x + 8, base = g->y + 8 + 2 * rmax;
    for (int i = 0; i < n; i++) {
        double r = trc_map_radius(values[i], sum->factor);
        truce_svg_begin(g->svg, "circle");
        double off = fmax(r, 14);
        truce_svg_attr(g->svg, "cx", "%.1f", cx + off);
        truce_svg_attr(g->svg, "cy", "%.1f", base - r);
        truce_svg_attr(g->svg, "r", "%.1f", r);
        truce_svg_attr(g->svg, "fill", "none");
        truce_svg_attr(g->svg, "stroke", "#444444");
        truce_svg_end(g->svg);
        trc_draw_begin_text(g->svg, cx + off, base + 12, "middle", 10);
        truce_svg_text(g->svg, "%.0f", values[i]);
        truce_svg_end(g->svg);
        cx += fmax(2 * r, 28) + 10;
    }
    g->y = base + 30;
}

/* A row of the agreement's part of the legend: a sample of a layer's
 * style (or a place's dot, or nothing) and its text. */
typedef struct legend_row {
    const map_style *style; /* NULL: no sample */
    int place;              /* 1: a place's dot instead */
    const char *need;       /* a place in need's colour instead; NULL */
    int access;             /* 1: an access incident's triangle instead */
    char text[320];
} legend_row;

/* Three zones and corridors, "and N more zones", the road, two routes, the
 * places, the tracks, the borders. */
#define MAX_ROWS 22

static size_t add_row(legend_row *rows, size_t n, const map_style *style, int place,
                      const char *text)
{
    rows[n].style = style;
    rows[n].place = place;
    rows[n].need = NULL;
    rows[n].access = 0;
    snprintf(rows[n].text, sizeof rows[n].text, "%s", text);
    return n + 1;
}

/* The humanitarian rows: each colour band of places in need drawn, the
 * crossings, aid routes and access incidents. */
static size_t aid_rows(const truce_map_data *d, legend_row *rows, size_t n)
{
    const truce_agreement *a = d->agreement;
    const truce_aid_result *r = d->aid ? truce_aid_result_get(d->aid) : NULL;
    int used[MAP_NEED_BANDS] = {0};
    for (size_t i = 0; i < a->nneeds; i++)
        used[trc_map_need_band(r ? r->places[i].days_since_last : -2)] = 1;
    for (int b = 0; b < MAP_NEED_BANDS; b++)
        if (used[b]) {
            n = add_row(rows, n, NULL, 0, trc_map_need_bands[b].label);
            rows[n - 1].need = trc_map_need_bands[b].colour;
        }
    if (a->naid_routes)
        n = add_row(rows, n, &trc_map_style_aid_route, 0, "aid route");
    if (a->ncrossings)
        n = add_row(rows, n, NULL, 1, "border crossing for aid");
    if (r && r->naccess_points) {
        n = add_row(rows, n, NULL, 0, "access incident (OCHA access framework)");
        rows[n - 1].access = 1;
    }
    return n;
}

static size_t agreement_rows(const truce_map_data *d, legend_row *rows)
{
    const truce_agreement *a = d->agreement;
    char text[320];
    size_t n = 0;
    for (size_t i = 0; i < a->nzones && i < 3; i++)
        n = add_row(rows, n, &trc_map_style_zone, 0,
                    a->zones[i].name ? a->zones[i].name : a->zones[i].id);
    if (a->nzones > 3) {
        snprintf(text, sizeof text, "and %zu more zones", a->nzones - 3);
        n = add_row(rows, n, NULL, 0, text);
    }
    for (size_t i = 0; i < a->ncorridors && i < 3; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        if (c->left_m == c->right_m)
            snprintf(text, sizeof text, "%s, %g km each side of the road",
                     c->name ? c->name : c->id, c->left_m / 1000);
        else
            snprintf(text, sizeof text, "%s, %g km left, %g km right", c->name ? c->name : c->id,
                     c->left_m / 1000, c->right_m / 1000);
        n = add_row(rows, n, &trc_map_style_corridor, 0, text);
    }
    if (a->ncorridors)
        n = add_row(rows, n, &trc_map_style_road, 0, "road");
    for (size_t i = 0; i < a->nroutes && i < 2; i++) {
        const truce_patrol_route *r = &a->routes[i];
        snprintf(text, sizeof text, "patrol route%s%s", r->valid.from_text ? " from " : "",
                 r->valid.from_text ? r->valid.from_text : "");
        n = add_row(rows, n, &trc_map_style_route, 0, text);
    }
    if (a->nplaces)
        n = add_row(rows, n, NULL, 1, "place named in the agreement");
    n = aid_rows(d, rows, n);
    if (d->ntracks)
        n = add_row(rows, n, &trc_map_style_track, 0, "GPX track");
    if (d->borders && d->borders->ncountries)
        n = add_row(rows, n, &trc_map_style_border, 0, "country");
    return n;
}

/* How far a row moves the baseline (row_text). */
static double row_height(const legend *g, const char *text)
{
    int n = trc_map_text_lines(NULL, text, 0, 0, 11.5, 13, g->w - 30, ROW_LINES);
    return 20 + 13 * (n > 1 ? n - 1 : 0);
}

static void draw_row(legend *g, const legend_row *row)
{
    if (row->need) {
        trc_draw_begin_rect(g->svg, NULL, g->x, g->y - 7, 22, 13, row->need);
        truce_svg_attr(g->svg, "fill-opacity", "0.55");
        truce_svg_attr(g->svg, "stroke", "%s", row->need);
        truce_svg_end(g->svg);
    } else if (row->access) {
        truce_svg_begin(g->svg, "path");
        truce_svg_attr(g->svg, "d", "M%.1f %.1fl5 9h-10z", g->x + 11, g->y - 6);
        truce_svg_attr(g->svg, "fill", "#6a3d9a");
        truce_svg_end(g->svg);
    } else if (row->place)
        dot(g, g->x + 11, g->y, 2.5, "#252525");
    else if (row->style)
        sample(g, row->style);
    row_text(g, row->text);
}

void trc_map_draw_legend(truce_svg *svg, const map_frame *f, const truce_map_data *d,
                         const map_event_summary *sum)
{
    const map_layout *l = &f->layout;
    legend g = {svg, l->legend_x + 12, l->map_y + 4, l->legend_w - 20, l->map_y + l->map_h};
    char text[320];
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "legend");
    truce_svg_attr(svg, "font-family", MAP_FONT);
    truce_svg_attr(svg, "fill", "#1a1a1a");
    trc_draw_begin_rect(svg, NULL, l->legend_x, l->map_y, l->legend_w, l->map_h, "#fafafa");
    truce_svg_attr(svg, "stroke", "#cccccc");
    truce_svg_end(svg);

    heading(&g, "Events");
    static const truce_map_class order[TRUCE_MAP_NCLASSES] = {
        TRUCE_MAP_VIOLATION, TRUCE_MAP_POSSIBLE, TRUCE_MAP_NONE, TRUCE_MAP_BEFORE};
    for (int i = 0; i < TRUCE_MAP_NCLASSES; i++) {
        truce_map_class c = order[i];
        dot(&g, g.x + 11, g.y, 6, truce_map_class_colour(c));
        snprintf(text, sizeof text, "%s (%zu)", truce_map_class_label(c), sum->count[c]);
        row_text(&g, text);
    }
    if (sum->clustered) {
        size_key(&g, sum, sum->most, "Events per cell (circle area)");
        snprintf(text, sizeof text,
                 "Events are grouped in %.0f-px cells: a pie per cell, a wedge per class.",
                 sum->cell_px);
        truce_svg_begin(svg, "text");
        truce_svg_attr(svg, "font-size", "10.5");
        truce_svg_attr(svg, "fill", "#555555");
        int n = trc_map_text_lines(svg, text, g.x, g.y - 6, 10.5, 12, g.w, 3);
        truce_svg_end(svg);
        g.y += 12.0 * n;
    } else {
        size_key(&g, sum, sum->most, "Fatalities (circle area)");
    }

    /* The agreement's rows, then the projection note at the panel's foot:
     * the note keeps its place, and rows that do not fit above it are left
     * out and counted, so a small map keeps a legible legend. */
    legend_row rows[MAX_ROWS];
    size_t nrows = agreement_rows(d, rows);
    snprintf(text, sizeof text,
             "Azimuthal equidistant projection centred on %.2f\xc2\xb0%c %.2f\xc2\xb0%c, WGS84. "
             "Drawn by truce %s.",
             fabs(f->lat0), f->lat0 < 0 ? 'S' : 'N', fabs(f->lon0), f->lon0 < 0 ? 'W' : 'E',
             truce_version());
    int note_lines = trc_map_text_lines(NULL, text, 0, 0, 10, 12, g.w, 4);
    double note_y = l->map_y + l->map_h - 16 - 12.0 * (note_lines - 1);
    g.bottom = note_y - 18;
    double need = 28;
    for (size_t i = 0; i < nrows; i++)
        need += row_height(&g, rows[i].text);
    /* A row whose baseline moves by h fits when its last line's
     * descenders, at the baseline + h - 12, stay above g.bottom. */
    size_t shown = nrows;
    if (g.y + need - 12 > g.bottom) {
        /* Not all fit: those that fit with a line under them saying how
         * many are left out. */
        double y = g.y + 28;
        for (shown = 0; shown < nrows && y + row_height(&g, rows[shown].text) + 20 - 12 <= g.bottom;
             shown++)
            y += row_height(&g, rows[shown].text);
    }
    if (g.y + 28 + 8 <= g.bottom)
        heading(&g, "Agreement");
    for (size_t i = 0; i < shown; i++)
        draw_row(&g, &rows[i]);
    if (shown < nrows && g.y + 8 <= g.bottom) {
        char more[96];
        snprintf(more, sizeof more, "%zu %s not shown for want of room", nrows - shown,
                 shown ? "more" : "map layers");
        truce_svg_begin(svg, "text");
        truce_svg_attr(svg, "class", "legend-more");
        truce_svg_attr(svg, "font-size", "10.5");
        truce_svg_attr(svg, "fill", "#555555");
        int n = trc_map_text_lines(svg, more, g.x, g.y, 10.5, 12, g.w, 2);
        truce_svg_end(svg);
        g.y += 12.0 * n;
    }
    if (g.y - 12 <= note_y - 10) {
        truce_svg_begin(svg, "text");
        truce_svg_attr(svg, "class", "projection");
        truce_svg_attr(svg, "font-size", "10");
        truce_svg_attr(svg, "fill", "#555555");
        trc_map_text_lines(svg, text, g.x, note_y, 10, 12, g.w, 4);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

/* ---- scale bar and north arrow ---------------------------------------- */

void trc_map_draw_scale_bar(truce_svg *svg, const map_frame *f)
{
    const map_layout *l = &f->layout;
    /* The longest of 1, 2, 5 x 10^k metres that takes at most a quarter
     * of the frame's width. */
    double target_m = l->map_w / 4 / f->scale, len_m = 1;
    for (double p = 1; p <= target_m; p *= 10)
        for (int k = 0; k < 3; k++) {
            double v = p * (k == 0 ? 1 : k == 1 ? 2 : 5);
            if (v <= target_m)
                len_m = v;
        }
    double w = len_m * f->scale, x = l->map_x + 16, y = l->map_y + l->map_h - 22;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "scale-bar");
    truce_svg_attr(svg, "font-family", MAP_FONT);
    truce_svg_attr(svg, "font-size", "11");
    truce_svg_attr(svg, "data-length-m", "%.0f", len_m);
    trc_draw_begin_rect(svg, NULL, x - 8, y - 18, w + 52, 32, "#ffffff");
    truce_svg_attr(svg, "fill-opacity", "0.8");
    truce_svg_end(svg);
    for (int half = 0; half < 2; half++) {
        trc_draw_begin_rect(svg, NULL, x + half * w / 2, y, w / 2, 5, half ? "#ffffff" : "#1a1a1a");
        truce_svg_attr(svg, "stroke", "#1a1a1a");
        truce_svg_attr(svg, "stroke-width", "0.8");
        truce_svg_end(svg);
    }
    const double at[3] = {0, len_m / 2, len_m};
    for (int i = 0; i < 3; i++) {
        if (i == 1)
            continue;
        trc_draw_begin_text(svg, x + at[i] * f->scale, y - 4, "middle", 0);
        if (i == 0)
            truce_svg_text(svg, "0");
        else if (len_m >= 1000)
            truce_svg_text(svg, "%g km", len_m / 1000);
        else
            truce_svg_text(svg, "%g m", len_m);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

void trc_map_draw_north_arrow(truce_svg *svg, const map_frame *f)
{
    const map_layout *l = &f->layout;
    /* North at the centre of the projection: the direction from the
     * centre to a point a little north of it. */
    double x0, y0, x1, y1, angle = 0;
    if (trc_map_project1(f, f->lon0, f->lat0, &x0, &y0) == 0 &&
        trc_map_project1(f, f->lon0, fmin(90, f->lat0 + 0.01), &x1, &y1) == 0)
        angle = atan2(x1 - x0, y0 - y1) * 57.29577951308232;
    double cx = l->map_x + l->map_w - 28, cy = l->map_y + 34;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "north-arrow");
    truce_svg_attr(svg, "transform", "translate(%.1f %.1f) rotate(%.2f)", cx, cy, angle);
    truce_svg_begin(svg, "circle");
    truce_svg_attr(svg, "r", "17");
    truce_svg_attr(svg, "fill", "#ffffff");
    truce_svg_attr(svg, "fill-opacity", "0.8");
    truce_svg_end(svg);
    truce_svg_begin(svg, "path");
    truce_svg_attr(svg, "d", "M0 -13L6 9L0 4L-6 9Z");
    truce_svg_attr(svg, "fill", "#1a1a1a");
    truce_svg_end(svg);
    trc_draw_begin_text(svg, 0, -16, "middle", 11);
    truce_svg_attr(svg, "font-family", MAP_FONT);
    truce_svg_attr(svg, "font-weight", "bold");
    truce_svg_text(svg, "N");
    truce_svg_end(svg);
    truce_svg_end(svg);
}
