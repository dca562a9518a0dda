/* Humanitarian records: their kinds and the access framework's categories. */
#include "truce/aid_record.h"

#include <string.h>

#include "base/util.h"
#include "base/digits.h"

static const char *const kind_names[TRUCE_AID_NKINDS] = {"none", "deliveries", "access", "returns"};
/* The singular forms and the other word a person may use. */
static const char *const kind_aliases[TRUCE_AID_NKINDS] = {NULL, "delivery", "incidents", "return"};

const char *truce_aid_kind_name(truce_aid_kind kind)
{
    return (unsigned)kind < TRUCE_AID_NKINDS ? kind_names[kind] : "none";
}

int truce_aid_kind_parse(const char *name, truce_aid_kind *out)
{
    for (int k = 1; name && k < TRUCE_AID_NKINDS; k++)
        if (!truce_strcasecmp(name, kind_names[k]) || !truce_strcasecmp(name, kind_aliases[k])) {
            *out = (truce_aid_kind)k;
            return 0;
        }
    return -1;
}

static const struct {
    const char *key, *label;
} categories[TRUCE_ACCESS_NCATEGORIES] = {
    {"none", "no category"},
    {"denial-of-needs", "Denial of the existence of humanitarian needs or of entitlements to "
                        "assistance"},
    {"entry", "Restriction of movement of agencies, personnel or goods into the country"},
    {"movement", "Restriction of movement within the country"},
    {"interference", "Interference in the implementation of humanitarian activities"},
    {"violence", "Violence against humanitarian personnel, assets and facilities"},
    {"services", "Restriction or obstruction of access to services and assistance"},
    {"hostilities", "Ongoing hostilities and military operations"},
    {"explosive-hazards", "Presence of mines and unexploded ordnance"},
    {"environment", "Physical environment and infrastructure"},
};

const char *truce_access_category_name(truce_access_category c)
{
    return categories[(unsigned)c < TRUCE_ACCESS_NCATEGORIES ? c : 0].key;
}

const char *truce_access_category_label(truce_access_category c)
{
    return categories[(unsigned)c < TRUCE_ACCESS_NCATEGORIES ? c : 0].label;
}

int truce_access_category_parse(const char *text, truce_access_category *out)
{
    if (!text)
        return -1;
    if (trc_is_digit(text[0]) && !text[1] && text[0] != '0') {
        *out = (truce_access_category)(text[0] - '0');
        return 0;
    }
    for (int c = 1; c < TRUCE_ACCESS_NCATEGORIES; c++)
        if (!truce_strcasecmp(text, categories[c].key)) {
            *out = (truce_access_category)c;
            return 0;
        }
    return -1;
}

void truce_aid_record_init(truce_aid_record *r)
{
    memset(r, 0, sizeof *r);
    r->trucks = -1;
    r->returnees = -1;
    r->households = -1;
}
