/*
 * securebase user: the accounts of the web app (securebase serve) from the
 * command line, which is how a practice makes its first admin. Passwords
 * are read from standard input (without echo at a terminal), never from
 * the command line, where other users could see them.
 */
#include "cli/cli.h"

#include <securebase/accounts.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase user [--db PATH] SUBCOMMAND [ARGS]\n\n"
            "Manages the accounts that sign in to 'securebase serve'.\n\n"
            "subcommands:\n"
            "  add NAME --role ROLE [--person P]\n"
            "                     add an account (roles: admin, clinician,\n"
            "                     client; a client account belongs to person\n"
            "                     P, an id or exact name); the password is\n"
            "                     read from standard input\n"
            "  list               list the accounts\n"
            "  disable NAME       stop an account signing in (ends its\n"
            "                     sessions)\n"
            "  enable NAME        let a disabled account sign in again\n"
            "  reset NAME         set a new password (read from standard\n"
            "                     input) and end the account's sessions\n"
            "  assign CLINICIAN P put person P on a clinician's caseload\n\n"
            "  --db PATH    the journal (default $XDG_DATA_HOME/securebase/\n"
            "               journal.db or ~/.local/share/securebase/journal.db)\n"
            "  -h, --help   this help\n\n"
            "A password has at least %d characters. At a terminal it is asked\n"
            "for twice without echo; otherwise the first line of standard\n"
            "input is the password.\n",
            SB_PASSWORD_MIN);
}

static int fail(sb_status st, const sb_error *err)
{
    sb__cli_report_error(err);
    return sb__cli_exit_code(st);
}

/* Reads one line without its newline; at a terminal, without echo. */
static int read_line(const char *prompt, char *buf, size_t size)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            tty = 0;
        }
    }
    char *got = fgets(buf, (int)size, stdin);
    if (tty) {
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!got)
        return 0;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 1;
}

static int read_password(const char *sub, char *pw, size_t size)
{
    if (!read_line("new password: ", pw, size))
        return sb__cli_usage_error(sub, "no password on standard input");
    sb_error err;
    if (sb_account_check_password(pw, &err) != SB_OK)
        return sb__cli_usage_error(sub, "%s", err.message);
    if (isatty(STDIN_FILENO)) {
        char again[SB_PASSWORD_MAX + 2];
        int same = read_line("again: ", again, sizeof again) &&
                   !strcmp(again, pw);
        memset(again, 0, sizeof again);
        if (!same)
            return sb__cli_usage_error(sub, "the two passwords differ");
    }
    return SB_EXIT_OK;
}

enum { OPT_DB = 1000, OPT_HELP, OPT_ROLE, OPT_PERSON };

typedef struct args {
    const char *db, *role, *person;
    int help;
    char **rest;
    int nrest;
} args;

static int parse(const char *sub, int argc, char **argv, args *a)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"role", required_argument, NULL, OPT_ROLE},
        {"person", required_argument, NULL, OPT_PERSON},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case OPT_DB: a->db = optarg; break;
        case OPT_ROLE: a->role = optarg; break;
        case OPT_PERSON: a->person = optarg; break;
        case 'h':
        case OPT_HELP: a->help = 1; break;
        default: return sb__cli_usage_error(sub, "unknown option");
        }
    }
    a->rest = argv + optind;
    a->nrest = argc - optind;
    return SB_EXIT_OK;
}

static int add(sb_journal *j, const args *a)
{
    if (a->nrest != 1)
        return sb__cli_usage_error("user add", "give one username");
    if (!a->role)
        return sb__cli_usage_error("user add",
                                  "--role admin|clinician|client is required");
    sb_error err;
    sb_role role;
    if (sb_role_parse(a->role, &role, &err) != SB_OK)
        return sb__cli_usage_error("user add", "%s", err.message);
    if ((role == SB_ROLE_CLIENT) != (a->person != NULL))
        return sb__cli_usage_error("user add",
                                  role == SB_ROLE_CLIENT
                                      ? "a client account needs --person"
                                      : "--person is for client accounts");
    if (sb_account_check_username(a->rest[0], &err) != SB_OK)
        return sb__cli_usage_error("user add", "%s", err.message);
    sb_rec_person p = {0};
    sb_status st = SB_OK;
    if (a->person && (st = sb_journal_find_person(j, a->person, &p, &err)))
        return fail(st, &err);
    char pw[SB_PASSWORD_MAX + 2];
    int rc = read_password("user add", pw, sizeof pw);
    if (rc)
        return rc;
    sb_id id;
    st = sb_account_add(j, a->rest[0], role, p.id, pw, (int64_t)time(NULL),
                        &id, &err);
    memset(pw, 0, sizeof pw);
    if (st != SB_OK)
        return fail(st, &err);
    printf("added %s '%s' (account %lld)\n", sb_role_name(role), a->rest[0],
           (long long)id);
    return SB_EXIT_OK;
}

static int list(sb_journal *j, const args *a)
{
    if (a->nrest)
        return sb__cli_usage_error("user list", "unexpected argument '%s'",
                                  a->rest[0]);
    sb_account *acc;
    size_t n;
    sb_error err;
    sb_status st = sb_account_list(j, &acc, &n, &err);
    if (st != SB_OK)
        return fail(st, &err);
    printf("%-4s  %-24s  %-9s  %-6s  %s\n", "id", "username", "role",
           "person", "state");
    for (size_t i = 0; i < n; i++) {
        char person[24] = "";
        if (acc[i].person)
            snprintf(person, sizeof person, "%lld", (long long)acc[i].person);
        printf("%-4lld  %-24s  %-9s  %-6s  %s\n", (long long)acc[i].id,
               acc[i].username, sb_role_name(acc[i].role), person,
               acc[i].disabled ? "disabled" : "active");
    }
    free(acc);
    return SB_EXIT_OK;
}

/* disable, enable and reset: one account by name. */
static int change(sb_journal *j, const char *sub, const args *a)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", sub);
    if (a->nrest != 1)
        return sb__cli_usage_error(cmd, "give one username");
    sb_error err;
    sb_account acc;
    sb_status st = sb_account_find(j, a->rest[0], &acc, &err);
    if (st != SB_OK)
        return fail(st, &err);
    if (!strcmp(sub, "reset")) {
        char pw[SB_PASSWORD_MAX + 2];
        int rc = read_password(cmd, pw, sizeof pw);
        if (rc)
            return rc;
        st = sb_account_set_password(j, acc.id, pw, &err);
        memset(pw, 0, sizeof pw);
    } else {
        st = sb_account_set_disabled(j, acc.id, !strcmp(sub, "disable"),
                                     &err);
    }
    if (st != SB_OK)
        return fail(st, &err);
    printf("%s: %s\n", acc.username,
           !strcmp(sub, "reset")     ? "new password set, sessions ended"
           : !strcmp(sub, "disable") ? "disabled, sessions ended"
                                     : "enabled");
    return SB_EXIT_OK;
}

static int assign(sb_journal *j, const args *a)
{
    if (a->nrest != 2)
        return sb__cli_usage_error("user assign",
                                  "give a clinician's username and a person");
    sb_error err;
    sb_account acc;
    sb_rec_person p;
    sb_status st = sb_account_find(j, a->rest[0], &acc, &err);
    if (st == SB_OK)
        st = sb_journal_find_person(j, a->rest[1], &p, &err);
    if (st == SB_OK)
        st = sb_assignment_add(j, acc.id, p.id, (int64_t)time(NULL), &err);
    if (st != SB_OK)
        return fail(st, &err);
    printf("%s is on the caseload of %s\n", p.name, acc.username);
    return SB_EXIT_OK;
}

int sb__cli_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int o;
    optind = 0;
    /* '+': stop at the subcommand; its options are its own. */
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case OPT_DB: db = optarg; break;
        case 'h':
        case OPT_HELP: usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return SB_EXIT_USAGE;
    }
    const char *sub = argv[optind];
    static const char *const subs[] = {"add",   "list",  "disable",
                                       "enable", "reset", "assign"};
    size_t k = 0;
    while (k < sizeof subs / sizeof subs[0] && strcmp(sub, subs[k]))
        k++;
    if (k == sizeof subs / sizeof subs[0])
        return sb__cli_usage_error("user", "unknown subcommand '%s'", sub);
    args a = {db, NULL, NULL, 0, NULL, 0};
    int rc = parse(sub, argc - optind, argv + optind, &a);
    if (rc)
        return rc;
    if (a.help) {
        usage(stdout);
        return SB_EXIT_OK;
    }
    sb_journal *j;
    /* The first admin is added to a journal that may not exist yet. */
    unsigned flags = k == 0 ? SB_JOURNAL_CREATE
                     : k == 1 ? SB_JOURNAL_READONLY
                              : 0;
    if ((rc = sb__cli_journal_open(a.db, flags, &j)))
        return rc;
    switch (k) {
    case 0: rc = add(j, &a); break;
    case 1: rc = list(j, &a); break;
    case 5: rc = assign(j, &a); break;
    default: rc = change(j, sub, &a); break;
    }
    sb_journal_close(j);
    return rc;
}
