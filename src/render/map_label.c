/* The tooltip of an event's map marker (map.h, truce_map_mark_label): one
 * text for truce map and the HTML report. */
#include <stdio.h>
#include <string.h>

#include "truce/map.h"

/* Text appended into a fixed buffer; what does not fit is cut at a
 * character boundary and everything after it is dropped. */
typedef struct label_buf {
    char *p;
    size_t size, len;
    int full;
} label_buf;

/* The length of the longest prefix of s[0, n) of at most `room` bytes that
 * ends at a UTF-8 character boundary. */
static size_t utf8_fit(const char *s, size_t n, size_t room)
{
    if (n <= room)
        return n;
    while (room > 0 && ((unsigned char)s[room] & 0xc0) == 0x80)
        room--;
    return room;
}

static void put(label_buf *b, const char *s, size_t n)
{
    if (b->full)
        return;
    size_t room = b->size - 1 - b->len, k = utf8_fit(s, n, room);
    memcpy(b->p + b->len, s, k);
    b->len += k;
    b->p[b->len] = '\0';
    b->full = k < n;
}

static void puts_opt(label_buf *b, const char *s)
{
    if (s)
        put(b, s, strlen(s));
}

/* Notes can run to paragraphs; a tooltip shows their start. */
#define NOTES_BYTES 300

size_t truce_map_mark_label(const truce_agreement *a, const truce_event *ev, const truce_verdict *v,
                            char *buf, size_t size)
{
    if (!buf || !size)
        return 0;
    buf[0] = '\0';
    if (!a || !ev || !v)
        return 0;
    label_buf b = {buf, size, 0, 0};
    char when[64], num[48];
    truce_event_when_local(a->tz, ev, when, sizeof when);
    puts_opt(&b, ev->id);
    put(&b, ", ", 2);
    puts_opt(&b, when);
    put(&b, ": ", 2);
    puts_opt(&b, v->reason);
    put(&b, "\n", 1);
    puts_opt(&b, ev->event_type);
    if (ev->actor1) {
        put(&b, "; ", 2);
        puts_opt(&b, ev->actor1);
    }
    if (ev->actor2) {
        put(&b, " vs ", 4);
        puts_opt(&b, ev->actor2);
    }
    if (ev->fatalities >= 0)
        snprintf(num, sizeof num, "; %lld fatalities", (long long)ev->fatalities);
    else
        snprintf(num, sizeof num, "; fatalities unknown");
    puts_opt(&b, num);
    if (ev->place) {
        put(&b, "\n", 1);
        puts_opt(&b, ev->place);
    }
    if (ev->notes) {
        size_t len = strlen(ev->notes), cut = utf8_fit(ev->notes, len, NOTES_BYTES);
        put(&b, "\n", 1);
        put(&b, ev->notes, cut);
        if (cut < len)
            put(&b, "\xe2\x80\xa6", 3);
    }
    return b.len;
}
