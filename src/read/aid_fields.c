/* Fields of humanitarian records, for both aid formats (aid_fields.h). */
#include "read/aid_fields.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "read/reader_impl.h"

/* The largest quantity taken: beyond it a double no longer holds whole
 * units exactly. */
#define AID_MAX_QUANTITY 9007199254740992.0

static int64_t *count_field(truce_aid_record *rec, aid_field f)
{
    return f == AF_TRUCKS       ? &rec->trucks
           : f == AF_RETURNEES  ? &rec->returnees
           : f == AF_HOUSEHOLDS ? &rec->households
                                : NULL;
}

int trc_aid_set_text(truce_aid_record *rec, aid_field f, const char *text, char *why,
                     size_t why_len)
{
    int64_t *count = count_field(rec, f);
    if (count)
        return trc_parse_int64(text, 0, INT64_MAX, count, why, why_len);
    int year;
    switch (f) {
    case AF_DATE:
        return trc_parse_date(text, 0, 0, &rec->day, &year, why, why_len);
    case AF_LAT:
        return trc_parse_coord(text, -90, 90, &rec->lat, why, why_len);
    case AF_LON:
        return trc_parse_coord(text, -180, 180, &rec->lon, why, why_len);
    case AF_QUANTITY:
        rec->has_quantity = 1;
        return trc_parse_coord(text, 0, AID_MAX_QUANTITY, &rec->quantity, why, why_len);
    case AF_CATEGORY:
        if (truce_access_category_parse(text, &rec->category) == 0)
            return 0;
        snprintf(why, why_len,
                 "\"%.40s\" is not an access category (1-9 of OCHA's access framework, or "
                 "denial-of-needs, entry, movement, interference, violence, services, "
                 "hostilities, explosive-hazards, environment)",
                 text);
        return -1;
    case AF_ID:
        rec->id = text;
        return 0;
    case AF_PLACE:
        rec->place = text;
        return 0;
    case AF_ADMIN:
        rec->admin_code = text;
        return 0;
    case AF_ORG:
        rec->org = text;
        return 0;
    case AF_ITEM:
        rec->item = text;
        return 0;
    case AF_UNIT:
        rec->unit = text;
        return 0;
    case AF_CROSSING:
        rec->crossing = text;
        return 0;
    case AF_DESCRIPTION:
        rec->description = text;
        return 0;
    case AF_ORIGIN:
        rec->origin = text;
        return 0;
    default:
        snprintf(why, why_len, "not a field of aid records");
        return -1;
    }
}

int trc_aid_set_number(truce_aid_record *rec, aid_field f, double value, int is_int, char *why,
                       size_t why_len)
{
    int64_t *count = count_field(rec, f);
    if (count) {
        if (!is_int || !(value >= 0 && value <= 9e18)) {
            snprintf(why, why_len, "%.17g is not a whole number >= 0", value);
            return -1;
        }
        *count = (int64_t)value;
        return 0;
    }
    double lo = f == AF_LAT ? -90 : f == AF_LON ? -180 : 0;
    double hi = f == AF_LAT ? 90 : f == AF_LON ? 180 : AID_MAX_QUANTITY;
    double *out = f == AF_LAT ? &rec->lat : f == AF_LON ? &rec->lon : &rec->quantity;
    if (f == AF_CATEGORY) {
        if (is_int && value >= 1 && value <= 9) {
            rec->category = (truce_access_category)(int)value;
            return 0;
        }
        snprintf(why, why_len, "%.17g is not an access category (1-9)", value);
        return -1;
    }
    if (f != AF_LAT && f != AF_LON && f != AF_QUANTITY) {
        snprintf(why, why_len, "found a number, expected a string");
        return -1;
    }
    if (!(value >= lo && value <= hi)) {
        snprintf(why, why_len, "%.17g is outside [%g, %g]", value, lo, hi);
        return -1;
    }
    *out = value;
    if (f == AF_QUANTITY)
        rec->has_quantity = 1;
    return 0;
}

int trc_aid_check(const truce_aid_record *rec, unsigned seen, aid_field *field, char *why,
                  size_t why_len)
{
#define FAIL(f, ...)                                                                               \
    do {                                                                                           \
        *field = (f);                                                                              \
        snprintf(why, why_len, __VA_ARGS__);                                                       \
        return -1;                                                                                 \
    } while (0)
    if (!(seen & AF_BIT(AF_DATE)))
        FAIL(AF_DATE, "missing");
    int lat = (seen & AF_BIT(AF_LAT)) != 0, lon = (seen & AF_BIT(AF_LON)) != 0;
    if (lat != lon)
        FAIL(lat ? AF_LON : AF_LAT, "missing: a point needs both latitude and longitude");
    if (!lat && !(seen & (AF_BIT(AF_PLACE) | AF_BIT(AF_ADMIN))))
        FAIL(AF_PLACE, "missing: no location (a place name, a point or an admin code)");
    switch (rec->kind) {
    case TRUCE_AID_DELIVERY:
        if (!(seen & (AF_BIT(AF_QUANTITY) | AF_BIT(AF_TRUCKS))))
            FAIL(AF_QUANTITY, "missing: a delivery needs a quantity or a number of trucks");
        break;
    case TRUCE_AID_ACCESS:
        if (!(seen & AF_BIT(AF_CATEGORY)))
            FAIL(AF_CATEGORY, "missing: an access incident needs its category");
        break;
    case TRUCE_AID_RETURN:
        if (!(seen & (AF_BIT(AF_RETURNEES) | AF_BIT(AF_HOUSEHOLDS))))
            FAIL(AF_RETURNEES, "missing: a return needs a number of people or of households");
        break;
    default:
        FAIL(AF_COUNT, "not a delivery, an access incident or a return");
    }
#undef FAIL
    return 0;
}
