/*
 * securebase: entry point of the command line. Dispatches to a subcommand;
 * everything of substance happens in the library.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const sb__cli_command commands[] = {
    {"params", "list the model's parameters with defaults and sources",
     sb__cli_params},
    {"simulate", "simulate attachment trajectories for scenarios",
     sb__cli_simulate},
    {"validate", "check the model's defaults against published findings",
     sb__cli_validate},
    {"calibrate", "fit model parameters to published facts (ABC-SMC, MPI)",
     sb__cli_calibrate},
    {"scenarios", "list, show, resolve and check scenarios", sb__cli_scenarios},
    {"score", "score attachment questionnaires from a survey export (CSV)",
     sb__cli_score},
    {"change", "reliable change, clinical significance, sudden gains",
     sb__cli_change},
    {"norms", "a practice's own norms (alpha, SD, mean, N) from intake scores",
     sb__cli_norms},
    {"journal", "keep a person's record: sessions, questionnaires, reflections",
     sb__cli_journal},
    {"report", "one person's journey as a self-contained HTML report",
     sb__cli_report},
    {"status", "whether clients are on track, riskiest first", sb__cli_status},
    {"whatif", "a person's plans side by side in the model, against keep",
     sb__cli_whatif},
    {"due", "measures due or overdue, per person, from their schedules",
     sb__cli_due},
    {"serve", "the web app for clients and their clinicians", sb__cli_serve},
    {"user", "accounts of the web app: add, list, disable, reset",
     sb__cli_user},
};

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: securebase COMMAND [OPTIONS] [ARGS]\n"
            "       securebase --help | --version\n\n"
            "securebase models, measures, records and shows earned attachment\n"
            "security.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nRun 'securebase COMMAND --help' for a command's options.\n"
            "Exit codes: 0 success, 1 runtime failure, 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return SB_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        print_help(stdout);
        return SB_EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("securebase %s\n", SB_VERSION);
        return SB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "securebase: unknown command '%s'\n", name);
    fprintf(stderr, "Run 'securebase --help' for the list of commands.\n");
    return SB_EXIT_USAGE;
}
