/* Judging a whole input from a reader: see judge.h. */
#include "truce/judge.h"

truce_status truce_judge_read(truce_judge *j, truce_reader *reader, truce_judge_reject_fn on_reject,
                              void *ctx)
{
    truce_status st = TRUCE_OK, pushed = TRUCE_OK;
    truce_row row;
    while (pushed == TRUCE_OK && (st = truce_reader_next(reader, &row)) == TRUCE_OK &&
           row.kind != TRUCE_ROW_END) {
        if (row.kind == TRUCE_ROW_EVENT)
            pushed = truce_judge_push(j, row.event);
        else if (on_reject && (st = on_reject(ctx, reader, &row)) != TRUCE_OK)
            break;
    }
    /* A failure of the judge is flush's to report (it drops what is left);
     * one of the reader or on_reject comes first. */
    truce_status flushed = truce_judge_flush(j);
    return st != TRUCE_OK ? st : flushed;
}
