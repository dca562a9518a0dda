/* libFuzzer target: the aid readers (src/read/read_hxl.c, read_aid_jsonl.c):
 * HXL-tagged CSV, and with bit 4 of the first byte detection among every
 * format, events and aid records alike. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader_records(data, size, size && (data[0] & 4) ? NULL : "hxl",
                        TRUCE_READ_EVENTS | TRUCE_READ_AID);
    return 0;
}
