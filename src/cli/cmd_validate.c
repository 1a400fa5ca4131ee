/*
 * securebase validate: runs the checks V1-V7 against published findings
 * and prints target, source, simulated figure and pass/fail for each.
 */
#include "cli/cli.h"

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
            "checked against (docs/validation.md): V1-V4 on the built-in\n"
            "'general-population', V5-V7 on 'therapy-only'. Facts that the\n"
            "built-in calibration 'v1-v9' fits are shown apart from those it\n"
            "holds out. Exit 0 only when every check passes.\n\n"
            "  -n, --persons N   simulated people per run (20000)\n"
            "  -s, --seed S      random seed (1)\n"
            "  -j, --threads K   threads (default: all cores)\n"
            "  -h, --help        this help\n");
}

int sb_cli_validate(int argc, char **argv)
{
    static const struct option options[] = {
        {"persons", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long persons = 20000, threads = 0;
    unsigned long long seed = 1;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:s:j:h", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((rc = sb_cli_parse_long("validate", "--persons", optarg, 100,
                                        10000000L, &persons)))
                return rc;
            break;
        case 's':
            if ((rc = sb_cli_parse_u64("validate", "--seed", optarg, &seed)))
                return rc;
            break;
        case 'j':
            if ((rc = sb_cli_parse_long("validate", "--threads", optarg, 1, 1024,
                                        &threads)))
                return rc;
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
        return sb_cli_usage_error("validate", "unexpected argument '%s'",
                                  argv[optind]);
    sb_error err;
    sb_scenario general, therapy;
    sb_status st = sb_scenario_builtin("general-population", &general, &err);
    if (st == SB_OK)
        st = sb_scenario_builtin("therapy-only", &therapy, &err);
    sb_validation v;
    if (st == SB_OK)
        st = sb_validate(&general, &therapy, (size_t)persons, seed, (int)threads,
                         &v, &err);
    if (st != SB_OK) {
        sb_cli_report_error(&err);
        return sb_cli_exit_code(st);
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
            printf("    simulated: %s\n\n", ch->simulated);
        }
    }
    free(cal);
    printf("%d of %d checks pass.\n", v.passed, SB_VALIDATE_CHECKS);
    return v.passed == SB_VALIDATE_CHECKS ? SB_EXIT_OK : SB_EXIT_FAILURE;
}
