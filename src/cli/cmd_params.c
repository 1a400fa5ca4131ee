/*
 * securebase params: the model's constants with their defaults, ranges,
 * units and sources, as a table or as Markdown for docs/model.md.
 */
#include "cli/cli.h"

#include <securebase/model.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase params [--markdown]\n\n"
            "Lists every model parameter: name, default, allowed range, unit,\n"
            "meaning and source. Any of them can be overridden in a scenario's\n"
            "`model:` section.\n\n"
            "  --markdown   print a Markdown table (as in docs/model.md)\n"
            "  -h, --help   this help\n");
}

int sb__cli_params(int argc, char **argv)
{
    static const struct option options[] = {
        {"markdown", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int markdown = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'm': markdown = 1; break;
        case 'h': usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return sb__cli_usage_error("params", "unexpected argument '%s'",
                                   argv[optind]);
    sb_params p;
    sb_params_default(&p);
    size_t n;
    const sb_param_info *t = sb_params_table(&n);
    if (markdown)
        printf("| parameter | default | range | unit | meaning | source |\n"
               "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        double v = *(const double *)((const char *)&p + t[i].offset);
        const char *whole = t[i].whole ? ", whole" : "";
        if (markdown)
            printf("| `%s` | %g | %g..%g%s | %s | %s | %s |\n", t[i].name, v,
                   t[i].min, t[i].max, whole, t[i].unit, t[i].meaning,
                   t[i].source);
        else
            printf("%-24s %8g  [%g..%g%s] %s\n    %s\n    source: %s\n",
                   t[i].name, v, t[i].min, t[i].max, whole, t[i].unit,
                   t[i].meaning, t[i].source);
    }
    return SB_EXIT_OK;
}
