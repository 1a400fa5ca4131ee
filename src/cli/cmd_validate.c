/*
 * securebase validate: runs the checks V1-V9 against published findings
 * and prints target, source, simulated figure and pass/fail for each.
 */
#include "cli/cli.h"
#include "cli/progress.h"

#include <securebase/fit.h>
#include <securebase/scenario.h>
#include <securebase/validate.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase validate [--persons N] [--seed S] [--threads K]\n\n"
            "Simulates the published facts that the model's defaults are\n"
            "checked against (docs/validation.md): V1-V4, V8 and V9 on the\n"
            "built-in 'general-population', V5-V7 on 'therapy-only'. Facts\n"
            "that the built-in calibration 'v1-v9' fits are shown apart from\n"
            "those it holds out. Exit 0 only when every check passes; a check\n"
            "that fails says what it missed and by how much, and every check\n"
            "its margin: how far inside its bands the figures lie.\n\n"
            "  -n, --persons N   simulated people per run (%d; fewer are\n"
            "                    quicker but noisy, and a check can miss by\n"
            "                    chance)\n"
            "  -s, --seed S      random seed (1)\n"
            "  -j, --threads K   threads (default: all cores)\n"
            "  -q, --quiet       no progress bar (drawn only on a terminal)\n"
            "  -h, --help        this help\n",
            SB_VALIDATE_PERSONS);
}

int sb__cli_validate(int argc, char **argv)
{
    static const struct option options[] = {
        {"persons", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long persons = SB_VALIDATE_PERSONS, threads = 0;
    unsigned long long seed = 1;
    int c, rc, quiet = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:s:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((rc = sb__cli_parse_long("validate", "--persons", optarg, 100,
                                         10000000L, &persons)))
                return rc;
            break;
        case 's':
            if ((rc = sb__cli_parse_u64("validate", "--seed", optarg, &seed)))
                return rc;
            break;
        case 'j':
            if ((rc = sb__cli_parse_long("validate", "--threads", optarg, 1, 1024,
                                         &threads)))
                return rc;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return SB_EXIT_OK;
        default:
            usage(stderr);
            return SB_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return sb__cli_usage_error("validate", "unexpected argument '%s'",
                                   argv[optind]);
    sb_error err;
    sb_scenario general, therapy;
    sb_status st = sb_scenario_builtin("general-population", &general, &err);
    if (st == SB_OK)
        st = sb_scenario_builtin("therapy-only", &therapy, &err);
    sb_validation v;
    sb_validate_options opt;
    sb_validate_options_default(&opt);
    opt.persons = (size_t)persons;
    opt.seed = seed;
    opt.threads = (int)threads;
    sb__cli_progress bar;
    sb__cli_progress_init(&bar, "validate V1-V9", quiet);
    opt.progress = sb__cli_progress_update;
    opt.progress_ctx = &bar;
    if (st == SB_OK)
        st = sb_validate(&general, &therapy, &opt, &v, &err);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    printf("securebase validate: %ld people per run, seed %llu\n", persons,
           seed);
    /* A fact is fitted when the built-in calibration fits any of its
     * targets; the others are held out, and their passes are evidence. */
    sb_calibration *cal = NULL;
    if (sb_calibration_load("v1-v9", &cal, &err) != SB_OK)
        cal = NULL;
    for (int fitted = 1; fitted >= 0; fitted--) {
        printf("\n%s\n\n", fitted ? "Fitted facts (targets of the calibration "
                                     "'v1-v9'):"
                                   : "Held-out facts (not fitted; a pass is "
                                     "evidence):");
        for (int i = 0; i < SB_VALIDATE_CHECKS; i++) {
            const sb_check *ch = &v.checks[i];
            int is_fitted = 0;
            for (size_t k = 0; cal && k < cal->target_count; k++)
                is_fitted |= cal->target[k].fitted &&
                             !strcmp(cal->target[k].fact, ch->id);
            if (is_fitted != fitted)
                continue;
            printf("%s  %s  %s\n", ch->id, ch->pass ? "PASS" : "FAIL",
                   ch->fact);
            printf("    target:    %s\n", ch->target);
            printf("    source:    %s\n", ch->source);
            printf("    simulated: %s\n", ch->simulated);
            printf("    margin:    %+.2f of the band\n", ch->margin);
            if (!ch->pass)
                printf("    missed:    %s\n", ch->miss);
            putchar('\n');
        }
    }
    free(cal);
    printf("%d of %d checks pass.\n", v.passed, SB_VALIDATE_CHECKS);
    if (persons < SB_VALIDATE_PERSONS)
        printf("\nThis run simulated %ld people per run, fewer than the %d the "
               "checks are judged at.\nSmall runs are noisy: a check can miss "
               "its target by chance. Run 'securebase validate'\nat its "
               "default size before reading a failure as a fault of the "
               "model.\n",
               persons, SB_VALIDATE_PERSONS);
    return v.passed == SB_VALIDATE_CHECKS ? SB_EXIT_OK : SB_EXIT_FAILURE;
}
