/* truce serve: its OpenAPI document (server/openapi.json, compiled in by
 * cmake/embed.cmake: the one copy) and the route table as a listing
 * (truce serve --routes), which tests/cli/test_serve_openapi.sh holds
 * against each other. */
#include <stdio.h>
#include <string.h>

#include "server_impl.h"

extern const unsigned char srv_openapi_json[];
extern const size_t srv_openapi_json_len;

void srv_get_openapi(srv_req *r)
{
    srv_answer(r, MHD_HTTP_OK, "application/json", (const char *)srv_openapi_json,
               srv_openapi_json_len, NULL, NULL);
}

void srv_routes_write(FILE *out)
{
    for (size_t i = 0; i < srv_route_count(); i++) {
        char name[128];
        srv_route_name(srv_route_at(i), name, sizeof name);
        fprintf(out, "%s %s\n", srv_route_at(i)->method, name);
    }
}
