/* truce — output files written atomically.
 *
 * Whatever truce writes to a named file goes through a truce_output: the
 * data goes to a temporary file beside the target, and only when all of it
 * is written (and synced to the disk) is the temporary file renamed onto the
 * target.  A reader of the target sees its old content or the new, never a
 * part; a failure at any point leaves the target as it was.  Nothing but the
 * temporary file truce created is ever removed.
 *
 * Usage:
 *
 *     truce_output *o;
 *     if (truce_output_open(path, &o))
 *         ...;                                 // errno says why
 *     fputs("data", truce_output_stream(o));
 *     if (complete)
 *         st = truce_output_commit(o);        // rename into place; errno says why
 *     else
 *         truce_output_abort(o);              // the target is untouched
 *
 * What the target may be:
 * - A new path: created, with the mode 0666 less the umask.  Its directory
 *   must exist.
 * - An existing regular file: replaced by the new content.  It must be
 *   writable by the caller (the check write(2) would make); its permission
 *   bits are kept, and its owner and group when the caller may set them
 *   (root).  Other names of it (hard links), ACLs and extended attributes
 *   keep the old file.
 * - A symbolic link: followed to the final target, which is written as
 *   above; the link stays a link.  A dangling link creates the file it names.
 * - An existing file that is not a regular file (a character device such as
 *   /dev/null or /dev/full, a FIFO, a terminal): written in place, as
 *   fopen(path, "w") would, never renamed over and never removed.
 * - A name of an open file of the process (/dev/stdout, /dev/fd/N,
 *   /proc/self/fd/N: links on procfs) that is a regular file: written in
 *   place at its end (O_APPEND), so that `-o /dev/stdout >>log` appends and
 *   `>log` gives the output alone.
 * In place, what was written before a failure stays written.
 * - A directory: refused (EISDIR).
 * The temporary file is named `.NAME.truce-XXXXXX` beside the final target;
 * writing it needs write permission on that directory.  A process killed
 * before commit or abort leaves its temporary file behind.
 *
 * Cost: commit calls fsync on the temporary file and then on its directory,
 * so that a successful commit means the data is on the disk.  Measured on
 * ext4 in a virtual machine (strace -T): 0.1 to 12 ms for a 2 KB summary;
 * 50 to 90 ms for the 160 MB of `truce events` on 200,000 rows, a run of
 * about 1 s.
 *
 * Errors: the functions return TRUCE_E_IO with errno set to the reason (for
 * strerror), TRUCE_E_ARG or TRUCE_E_NOMEM.  A handle is not thread-safe;
 * separate handles are independent.
 */
#ifndef TRUCE_OUTPUT_H
#define TRUCE_OUTPUT_H

#include <stdio.h>

#include "truce/status.h"

typedef struct truce_output truce_output;

/* Open `path` (not NULL, not empty) for writing as described above.  *out
 * is a new handle, to be given to exactly one of truce_output_commit and
 * truce_output_abort; *out is NULL on failure, and then nothing was created
 * or changed.  TRUCE_E_ARG, TRUCE_E_NOMEM, TRUCE_E_IO (errno: EISDIR,
 * EACCES, ENOENT, ELOOP, ...). */
truce_status truce_output_open(const char *path, truce_output **out);

/* The stream to write to.  It belongs to the handle: do not fclose it, and
 * do not use it after commit or abort. */
FILE *truce_output_stream(const truce_output *out);

/* Finish: flush the stream, sync the data to the disk, and rename the
 * temporary file onto the target (in place: flush and close).  The handle
 * is freed whatever happens.  TRUCE_OK; or TRUCE_E_IO with errno set
 * (ENOSPC, EIO, ...), after which the target is untouched and the temporary
 * file removed — except when the rename succeeded and only the sync of the
 * directory failed, when the new content is in place but may not survive a
 * crash.  TRUCE_E_NOMEM (errno ENOMEM) in the same cases when memory ran
 * out.  `out` NULL: TRUCE_E_ARG. */
truce_status truce_output_commit(truce_output *out);

/* Give up: close the stream and remove the temporary file; the target keeps
 * its old content (in place: what was written stays written).  The handle
 * is freed.  errno is left as the reason the first failed write failed,
 * when a write failed, else as it was.  NULL does nothing. */
void truce_output_abort(truce_output *out);

#endif
