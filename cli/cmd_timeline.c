/* truce timeline: events per local day stacked by verdict, the ceasefire and
 * amendments as marks, fatalities per day, as SVG (truce/timeline.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/timeline.h"

static const char *const SUB = "timeline";

static const char *const usage_text =
    "usage: truce timeline [options] AGREEMENT EVENTS... [-o FILE.svg|FILE.png]\n"
    "\n"
    "Judge every event against the agreement (as truce classify does) and draw\n"
    "a timeline: events per local day in the agreement's time zone (the day each\n"
    "report starts in, as truce stats counts it), stacked by verdict (violation,\n"
    "possible, none, before the ceasefire); the ceasefire instant and every\n"
    "amendment as vertical marks; fatalities per day as a line on a right-hand\n"
    "axis (docs/report.md, \"The timeline\").  It spans at most a century of\n"
    "days centred on the ceasefire: an event dated outside (a mistyped year) is\n"
    "left off the picture, named in a warning and in a note on the picture.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       write to FILE instead of stdout: a PNG when FILE ends\n"
    "                          in .png, else SVG\n"
    "      --format FMT        svg or png (default: by FILE's extension, else svg)\n"
    "      --title TEXT        the title (default: the agreement's id and \"events\n"
    "                          per day\")\n"
    "      --width PX, --height PX\n"
    "                          the picture's size (default 960 x 400)\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (the\n"
    "timeline still covers every accepted row), 4 I/O\n";

typedef struct timeline_ctx {
    const truce_tz *tz;
    int quiet;
    truce_timeline_series series;
} timeline_ctx;

static int add_one(void *ctx, const truce_judged *judged)
{
    const truce_event *ev = judged->event;
    const truce_verdict *v = judged->verdict;
    timeline_ctx *t = ctx;
    int left_out = 0;
    truce_status st =
        truce_timeline_series_add_event(&t->series, t->tz, ev, truce_map_class_of(v), &left_out);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    if (left_out && !t->quiet) {
        char when[21];
        truce_time_format_utc(ev->start_s, when);
        fprintf(stderr,
                "%s:%ld: warning: event %s starts %s, outside the century of days the timeline "
                "shows around the ceasefire; left off the picture\n",
                ev->file ? ev->file : "<stdin>", ev->line, ev->id, when);
    }
    return EXIT_OK;
}

/* Draw and write the picture; returns an exit status. */
static int draw(const truce_agreement *a, const truce_timeline_input *base, const timeline_ctx *t,
                int png, const char *output)
{
    truce_timeline_mark *marks = NULL;
    size_t nmarks = 0;
    truce_status st = truce_timeline_marks_from_agreement(a, &marks, &nmarks);
    char *svg = NULL;
    size_t len = 0;
    if (!st) {
        truce_timeline_input in = *base;
        in.tz = a->tz;
        in.tz_name = a->timezone_name;
        in.days = t->series.days;
        in.ndays = t->series.ndays;
        in.marks = marks;
        in.nmarks = nmarks;
        in.first_day = t->series.first_day;
        in.last_day = t->series.last_day;
        char note[1024];
        truce_timeline_series_note(&t->series, note, sizeof note);
        in.note = note;
        st = truce_timeline_svg(&in, 1, &svg, &len);
    }
    truce_free(marks);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        return cli_exit_for(st);
    }
    int rc = cli_write_picture(SUB, svg, len, png, base->width_px, base->height_px, output);
    truce_free(svg);
    return rc;
}

int cmd_timeline(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"title", required_argument, NULL, 0x200},
                                             {"width", required_argument, NULL, 0x201},
                                             {"height", required_argument, NULL, 0x202},
                                             {"format", required_argument, NULL, 0x203},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    const char *output = NULL, *title = NULL, *format = NULL;
    truce_timeline_input in;
    truce_timeline_input_init(&in);
    cli_judge_opts jo = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 0x200:
            title = optarg;
            break;
        case 0x201:
        case 0x202:
            if (cli_parse_double(optarg, opt == 0x201 ? 320 : 200, 20000,
                                 opt == 0x201 ? &in.width_px : &in.height_px)) {
                cli_error(SUB, "--%s: \"%s\" is not a size in pixels in [%d, 20000]",
                          opt == 0x201 ? "width" : "height", optarg, opt == 0x201 ? 320 : 200);
                return EXIT_USAGE;
            }
            break;
        case 0x203:
            if (cli_picture_format_option(SUB, optarg))
                return EXIT_USAGE;
            format = optarg;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    int png = cli_picture_is_png(format, output);
    cli_judge j;
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    timeline_ctx ctx = {0};
    truce_timeline_series_init(&ctx.series);
    if (j.agreement && j.agreement->tz) {
        int64_t first, last;
        truce_timeline_span(j.agreement, &first, &last);
        truce_timeline_series_bound(&ctx.series, first, last);
    }
    if (status == EXIT_OK) {
        ctx.tz = j.agreement->tz;
        ctx.quiet = jo.quiet;
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet, NULL, NULL,
                               add_one, &ctx);
    }
    if (status != EXIT_USAGE && status != EXIT_FAILURE_ && j.agreement) {
        char deftitle[256];
        snprintf(deftitle, sizeof deftitle, "%.200s: events per day",
                 j.agreement->id ? j.agreement->id : "agreement");
        in.title = title ? title : deftitle;
        status = cli_worse(status, draw(j.agreement, &in, &ctx, png, output));
    }
    truce_timeline_series_release(&ctx.series);
    return cli_judge_close(&j, status);
}
