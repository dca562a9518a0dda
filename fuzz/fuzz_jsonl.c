/* libFuzzer target: the jsonl reader (src/read/read_jsonl.c); odd first bytes also try
 * detection from content. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader(data, size, size && (data[0] & 4) ? NULL : "jsonl");
    return 0;
}
