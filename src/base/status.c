/* Status codes and their descriptions. */
#include "truce/status.h"

#include "truce/version.h"

static const char *const messages[TRUCE_STATUS_COUNT] = {
    [TRUCE_OK] = "success",
    [TRUCE_E_NOMEM] = "out of memory",
    [TRUCE_E_ARG] = "invalid argument",
    [TRUCE_E_IO] = "input/output error",
    [TRUCE_E_PARSE] = "malformed input",
    [TRUCE_E_INVALID] = "invalid input",
    [TRUCE_E_RANGE] = "value out of range",
    [TRUCE_E_TZ_UNKNOWN] = "unknown time zone",
    [TRUCE_E_TIME_GAP] = "local time does not exist (daylight-saving gap)",
    [TRUCE_E_GEOMETRY] = "invalid geometry",
    [TRUCE_E_NOT_FOUND] = "not found",
    [TRUCE_E_UNSUPPORTED] = "not supported",
    [TRUCE_E_INTERNAL] = "internal error",
};

const char *truce_strerror(truce_status status)
{
    if ((unsigned)status >= TRUCE_STATUS_COUNT)
        return "unknown status";
    return messages[status];
}

const char *truce_version(void)
{
    return TRUCE_VERSION_STRING;
}
