/* truce — a humanitarian record: an aid delivery, an access incident or a
 * return of displaced people, as the aid readers (reader.h, docs/aid.md)
 * hand them out, one row at a time.
 *
 * The record is plain data.  Strings point into the reader's row and are
 * valid until its next row; NULL where the row gives none.  Dates are local
 * dates (days since 1970-01-01) as written: humanitarian reports give a day,
 * not an instant.
 *
 * Access incidents follow the categories of OCHA's Access Monitoring and
 * Reporting Framework (2012), numbered 1-9 as there. */
#ifndef TRUCE_AID_RECORD_H
#define TRUCE_AID_RECORD_H

#include <stdint.h>

typedef enum truce_aid_kind {
    TRUCE_AID_NONE = 0,
    TRUCE_AID_DELIVERY = 1, /* aid delivered to a place (OCHA 3W, cross-border shipments) */
    TRUCE_AID_ACCESS = 2,   /* an access constraint (OCHA access framework) */
    TRUCE_AID_RETURN = 3    /* displaced people returning (IOM DTM, UNHCR) */
} truce_aid_kind;
#define TRUCE_AID_NKINDS 4

/* "deliveries", "access", "returns" ("none" for TRUCE_AID_NONE). */
const char *truce_aid_kind_name(truce_aid_kind kind);

/* The kind a name gives ("deliveries" or "delivery", "access" or
 * "incidents", "returns" or "return", ASCII case-insensitive): 0 with *out
 * set, -1 for any other name. */
int truce_aid_kind_parse(const char *name, truce_aid_kind *out);

/* The access framework's categories. */
typedef enum truce_access_category {
    TRUCE_ACCESS_NONE = 0,
    TRUCE_ACCESS_DENIAL_OF_NEEDS = 1,   /* denial of needs or of entitlement to assistance */
    TRUCE_ACCESS_ENTRY = 2,             /* restriction of entry into the country */
    TRUCE_ACCESS_MOVEMENT = 3,          /* restriction of movement within the country */
    TRUCE_ACCESS_INTERFERENCE = 4,      /* interference in humanitarian activities */
    TRUCE_ACCESS_VIOLENCE = 5,          /* violence against personnel, assets, facilities */
    TRUCE_ACCESS_SERVICES = 6,          /* people kept from services and assistance */
    TRUCE_ACCESS_HOSTILITIES = 7,       /* ongoing hostilities and military operations */
    TRUCE_ACCESS_EXPLOSIVE_HAZARDS = 8, /* mines and unexploded ordnance */
    TRUCE_ACCESS_ENVIRONMENT = 9        /* physical environment and infrastructure */
} truce_access_category;
#define TRUCE_ACCESS_NCATEGORIES 10

/* The category's key ("hostilities", ...; "none" for 0) and the
 * framework's wording of it. */
const char *truce_access_category_name(truce_access_category category);
const char *truce_access_category_label(truce_access_category category);

/* A category from its number ("7") or key ("hostilities", ASCII
 * case-insensitive): 0 with *out set, -1 otherwise. */
int truce_access_category_parse(const char *text, truce_access_category *out);

typedef struct truce_aid_record {
    truce_aid_kind kind;
    const char *file; /* where it was read; NULL for an unnamed stream */
    long line;        /* first physical line of its row */
    const char *id;   /* the source's id; may be NULL */
    int64_t day;      /* the local date, days since 1970-01-01 */

    /* Where: any of a place name, a point and an admin code (at least one). */
    const char *place;      /* #loc+name */
    const char *admin_code; /* #adm2+code */
    int has_location;
    double lon; /* degrees, in [-180, 180] */
    double lat; /* degrees, in [-90, 90] */
    const char *org;

    /* Deliveries: a quantity (of `unit`) and/or trucks, at least one. */
    const char *item;
    int has_quantity;
    double quantity; /* >= 0 */
    const char *unit;
    int64_t trucks;       /* >= 0, or -1 when not given */
    const char *crossing; /* the border crossing it came through; may be NULL */

    /* Access incidents. */
    truce_access_category category;
    const char *description;

    /* Returns: people and/or households, at least one. */
    int64_t returnees;  /* >= 0, or -1 when not given */
    int64_t households; /* >= 0, or -1 when not given */
    const char *origin;
} truce_aid_record;

/* Set every field to "absent". */
void truce_aid_record_init(truce_aid_record *record);

#endif
