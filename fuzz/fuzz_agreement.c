/* Fuzz target: the agreement loader (JSON, GeoJSON geometry, times, rules). */
#include <stddef.h>
#include <stdint.h>

#include "truce/agreement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_agreement *a = NULL;
    if (truce_agreement_parse((const char *)data, size, "fuzz", &a, &diags) == TRUCE_OK)
        truce_agreement_free(a);
    truce_diags_release(&diags);
    return 0;
}
