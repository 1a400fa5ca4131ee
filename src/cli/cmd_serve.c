/*
 * securebase serve: runs the web app until interrupted. With --demo it
 * first makes a throw-away journal of invented people in a private
 * temporary directory, prints the address and the demo logins, and removes
 * the directory when stopped.
 */
#include "cli/cli.h"
#include "cli/norms_option.h"

#include <securebase/journal.h>
#include <securebase/serve.h>

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase serve [--db PATH] [--listen ADDR:PORT]\n"
            "                        [--tls-cert FILE --tls-key FILE]\n"
            "                        [--item-texts DIR] [--norms FILE]... [--demo]\n\n"
            "Serves the web app for clients and their clinicians over one\n"
            "journal until interrupted (Ctrl-C or SIGTERM). Create the first\n"
            "admin with 'securebase user add NAME --role admin'.\n\n"
            "  --db PATH          the journal (default $XDG_DATA_HOME/securebase/\n"
            "                     journal.db or ~/.local/share/securebase/journal.db)\n"
            "  --listen ADDR:PORT where to listen (default 127.0.0.1:8080;\n"
            "                     [::1]:8080 for IPv6, :8080 for every address)\n"
            "  --tls-cert FILE    serve HTTPS with this PEM certificate (chain)\n"
            "  --tls-key FILE     and its PEM private key\n"
            "  --behind-proxy     a TLS proxy on this machine forwards to us:\n"
            "                     mark cookies Secure as under HTTPS\n"
            "  --item-texts DIR   the questionnaires' item texts, one file per\n"
            "                     instrument (DIR/ecr-r.txt; see docs/serve.md);\n"
            "                     without them forms show 'Item N'\n"
            "  --norms FILE       local norms (securebase norms) of an\n"
            "                     instrument: reliable change on the pages and\n"
            "                     in reports uses them before its published\n"
            "                     figures, and says so; once per instrument\n"
            "  --threads N        worker threads (default: four per core,\n"
            "                     at least 16)\n"
            "  --timeout SECONDS  close connections idle this long (default 15)\n"
            "  --max-body BYTES   largest request body (default 65536)\n"
            "  --quiet            no request log on standard error\n"
            "  --demo             a throw-away journal of invented people, with\n"
            "                     demo logins printed; only on a loopback address\n"
            "  -h, --help         this help\n\n"
            "Each request is logged on standard error: address, account,\n"
            "method, path (secret links left out), status and time.\n");
}

enum { OPT_DB = 1000, OPT_LISTEN, OPT_CERT, OPT_KEY, OPT_TEXTS, OPT_THREADS,
       OPT_TIMEOUT, OPT_BODY, OPT_QUIET, OPT_DEMO, OPT_PROXY, OPT_NORMS,
       OPT_HELP };

static int loopback(const char *listen)
{
    return !strncmp(listen, "127.", 4) || !strncmp(listen, "[::1]:", 6) ||
           !strncmp(listen, "localhost:", 10);
}

int sb__cli_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"tls-cert", required_argument, NULL, OPT_CERT},
        {"tls-key", required_argument, NULL, OPT_KEY},
        {"item-texts", required_argument, NULL, OPT_TEXTS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-body", required_argument, NULL, OPT_BODY},
        {"behind-proxy", no_argument, NULL, OPT_PROXY},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"demo", no_argument, NULL, OPT_DEMO},
        {"norms", required_argument, NULL, OPT_NORMS},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    sb_serve_options opt;
    sb_serve_options_default(&opt);
    opt.log = stderr;
    int demo = 0, rc;
    sb__cli_norms_files norms = {{NULL}, 0};
    long v;
    int o;
    optind = 0;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case OPT_DB: opt.db = optarg; break;
        case OPT_LISTEN: opt.listen = optarg; break;
        case OPT_CERT: opt.tls_cert = optarg; break;
        case OPT_KEY: opt.tls_key = optarg; break;
        case OPT_TEXTS: opt.item_texts = optarg; break;
        case OPT_PROXY: opt.behind_tls_proxy = 1; break;
        case OPT_QUIET: opt.log = NULL; break;
        case OPT_DEMO: demo = 1; break;
        case OPT_NORMS:
            if ((rc = sb__cli_norms_arg(&norms, "serve", optarg)))
                return rc;
            break;
        case OPT_THREADS:
            if ((rc = sb__cli_parse_long("serve", "--threads", optarg, 1, 256,
                                        &v)))
                return rc;
            opt.threads = (unsigned)v;
            break;
        case OPT_TIMEOUT:
            if ((rc = sb__cli_parse_long("serve", "--timeout", optarg, 1, 3600,
                                        &v)))
                return rc;
            opt.timeout = (unsigned)v;
            break;
        case OPT_BODY:
            if ((rc = sb__cli_parse_long("serve", "--max-body", optarg, 1024,
                                        16L << 20, &v)))
                return rc;
            opt.max_body = (size_t)v;
            break;
        case 'h':
        case OPT_HELP: usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return sb__cli_usage_error("serve", "unexpected argument '%s'",
                                  argv[optind]);
    if (!opt.tls_cert != !opt.tls_key)
        return sb__cli_usage_error("serve", "--tls-cert and --tls-key go "
                                           "together");
    if (demo && opt.db)
        return sb__cli_usage_error("serve", "--demo makes its own journal; "
                                           "leave out --db");
    if (demo && !loopback(opt.listen))
        return sb__cli_usage_error("serve", "--demo has well-known "
                                           "passwords: listen on a "
                                           "loopback address only");
    /* Read before anything starts: a bad file stops the server here. */
    sb_norms_set *set = NULL;
    if ((rc = sb__cli_norms_load(&norms, NULL, &set)))
        return rc;
    opt.norms = set;
    sb_error err;
    char *def = NULL;
    char dir[] = "/tmp/securebase-demo-XXXXXX";
    char demo_db[sizeof dir + 16];
    const sb_demo_login *logins = NULL;
    size_t nlogins = 0;
    sb_status st = SB_OK;
    if (demo) {
        if (!mkdtemp(dir)) {
            perror("securebase serve: cannot make a temporary directory");
            sb_norms_set_free(set);
            return SB_EXIT_FAILURE;
        }
        snprintf(demo_db, sizeof demo_db, "%s/demo.db", dir);
        fprintf(stderr, "securebase serve: making the demo journal...\n");
        st = sb_demo_create(demo_db, &logins, &nlogins, &err);
        opt.db = demo_db;
        opt.demo_texts = 1;
    } else if (!opt.db) {
        st = sb__cli_default_journal(&def, &err);
        opt.db = def;
    }
    /* Blocked before the server's threads start, so that they inherit
     * the mask and this thread alone receives the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    sb_server *srv = NULL;
    if (st == SB_OK)
        st = sb_server_start(&opt, &srv, &err);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        rc = sb__cli_exit_code(st);
    } else {
        printf("securebase is serving %s at %s\n", opt.db,
               sb_server_url(srv));
        sb__cli_norms_say(set, stdout);
        if (demo) {
            printf("\nDemo: every person here is invented. Sign in as:\n");
            for (size_t i = 0; i < nlogins; i++)
                printf("  %-10s password %-26s %s\n", logins[i].username,
                       logins[i].password, logins[i].who);
            printf("\nThe demo journal is deleted when you stop the server "
                   "(Ctrl-C).\n");
        }
        fflush(stdout);
        int sig;
        sigwait(&stop, &sig);
        fprintf(stderr, "securebase serve: stopping\n");
        sb_server_stop(srv);
        rc = SB_EXIT_OK;
    }
    if (demo) {
        const char *suffix[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char path[sizeof demo_db + 8];
            snprintf(path, sizeof path, "%s%s", demo_db, suffix[i]);
            unlink(path);
        }
        rmdir(dir);
    }
    free(def);
    sb_norms_set_free(set);
    return rc;
}
