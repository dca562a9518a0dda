/* The dashboard's files, compiled into truce by cmake/dashboard.cmake
 * (which writes the table) and answered by routes_dashboard.c. */
#ifndef TRUCE_SERVER_ASSETS_H
#define TRUCE_SERVER_ASSETS_H

#include <stddef.h>

typedef struct srv_asset {
    const char *name; /* the file's name, as under /assets/ */
    const char *type; /* its Content-Type */
    const unsigned char *data;
    const size_t *len; /* bytes of data */
} srv_asset;

extern const srv_asset srv_assets[];
extern const size_t srv_assets_count;

#endif
