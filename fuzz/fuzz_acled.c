/* libFuzzer target: the acled reader (src/read/read_acled.c); odd first bytes also try
 * detection from content. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader(data, size, size && (data[0] & 4) ? NULL : "acled");
    return 0;
}
