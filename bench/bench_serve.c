/*
 * Load on the web app, on 127.0.0.1 only and for a fixed time: a practice
 * of 100 clinicians x 50 clients with two years of weekly records each;
 * 200 simulated clients submit questionnaires (ECR-R, 36 answers) and
 * reflections as fast as the server acknowledges them while 10 clinicians
 * reload their caseloads. Prints acknowledged writes per second, p50/p99
 * latency of submissions and of the caseload, and then proves from the
 * journal that every acknowledged write is stored.
 *
 *   bench_serve [--quick] [--seconds N] [--reload MS] [--kill] [--pages]
 *
 * The clinicians reload as soon as each page has come (a closed loop: the
 * faster the page, the more of them, and of their audit entries, the
 * server carries), or with --reload MS each on a fixed schedule, one page
 * every MS milliseconds, staggered (an open loop: the load is the writers';
 * a page's latency counts from the moment it was due, so one held up by the
 * page before it counts that wait too).
 *
 * Before the load, a clinician opens one client's journey report and
 * what-if page and their caseload, one request at a time (wall and process
 * CPU time of each, median of five); --pages stops after that
 * (SB_BENCH_KEEP=1 keeps the practice's journal then).
 *
 * SB_BENCH_PRACTICE=FILE keeps the built practice in FILE and starts from a
 * copy of it on later runs (the full one takes minutes to build).
 *
 * --kill runs the server as a separate process (SECUREBASE, default
 * build/securebase), kills it with SIGKILL in the middle of the load,
 * checks every acknowledged write and the journal's integrity, and starts
 * it again to show it serves.
 */
#include <securebase/accounts.h>
#include <securebase/journal.h>
#include <securebase/serve.h>

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLINICIANS 100
#define PER_CLINICIAN 50
#define WEEKS 104
#define WRITERS 200
#define READERS 10
#define MAX_SAMPLES 2000000
#define SLICE_S 10
#define MAX_SLICES 64

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const sb_error *err)
{
    fprintf(stderr, "bench_serve: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

/* ---- the practice --------------------------------------------------------- */

typedef struct seat {
    sb_id person, account;
    char cookie[96];
    char csrf[SB_TOKEN_TEXT];
} seat;

static void add(sb_journal *j, sb_journal_kind kind, void *rec)
{
    sb_error err;
    if (sb_journal_add(j, kind, rec, &err) != SB_OK)
        die("add", &err);
}

static void answers(double *items, unsigned salt)
{
    for (int i = 0; i < 36; i++)
        items[i] = 1 + (double)((i * 7 + salt) % 7);
}

/* Builds the practice with its accounts (seats filled by sign_in). */
static void build(const char *path, int weeks)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, SB_JOURNAL_CREATE, &j, &err) != SB_OK)
        die("open", &err);
    char hash[SB_PASSWORD_HASH_MAX];
    if (sb_account_hash_password("bench password", hash, &err) != SB_OK)
        die("hash", &err);
    if (sb_journal_transaction(j, &err) != SB_OK)
        die("begin", &err);
    long start = sb_date_days((sb_date){2024, 12, 2});
    size_t w = 0;
    for (int c = 0; c < CLINICIANS; c++) {
        char name[64];
        snprintf(name, sizeof name, "clinician%03d", c);
        sb_id dr;
        if (sb_account_add_hashed(j, name, SB_ROLE_CLINICIAN, 0, hash, 1, &dr,
                                  &err) != SB_OK)
            die("clinician", &err);
        for (int k = 0; k < PER_CLINICIAN; k++) {
            sb_rec_person p;
            sb_journal_record_init(SB_KIND_PERSON, &p);
            snprintf(p.name, sizeof p.name, "Client %03d-%02d", c, k);
            add(j, SB_KIND_PERSON, &p);
            if (sb_assignment_add(j, dr, p.id, 1, &err) != SB_OK)
                die("assign", &err);
            for (int wk = 0; wk < weeks; wk++) {
                long day = start + 7L * wk + k % 7;
                sb_rec_session s;
                sb_journal_record_init(SB_KIND_SESSION, &s);
                s.person = p.id;
                sb_date_format(sb_date_from_days(day), s.date);
                s.attended = (wk + k) % 9 != 0;
                s.minutes = 50;
                add(j, SB_KIND_SESSION, &s);
                if (wk % 4 == 0) {
                    sb_rec_assessment a;
                    sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
                    a.person = p.id;
                    snprintf(a.instrument, sizeof a.instrument, "ecr-r");
                    sb_date_format(sb_date_from_days(day), a.date);
                    a.item_count = 36;
                    answers(a.items, (unsigned)(wk + k));
                    add(j, SB_KIND_ASSESSMENT, &a);
                }
                sb_rec_reflection f;
                sb_journal_record_init(SB_KIND_REFLECTION, &f);
                f.person = p.id;
                sb_date_format(sb_date_from_days(day + 2), f.date);
                snprintf(f.trigger, sizeof f.trigger, "trigger %d", wk % 6);
                f.tried = wk % 2;
                if (f.tried)
                    snprintf(f.new_response, sizeof f.new_response, "asked");
                f.intensity = 5;
                add(j, SB_KIND_REFLECTION, &f);
            }
            if (w < WRITERS && k < WRITERS / CLINICIANS + 1) {
                char user[64];
                snprintf(user, sizeof user, "client%03d-%02d", c, k);
                sb_id account;
                if (sb_account_add_hashed(j, user, SB_ROLE_CLIENT, p.id, hash,
                                          1, &account, &err) != SB_OK)
                    die("client", &err);
                w++;
            }
        }
    }
    if (sb_journal_transaction_commit(j, &err) != SB_OK)
        die("commit", &err);
    sb_journal_close(j);
}

/* Signs every seat in once (a session each): the first writers' clients
 * and the first readers' clinicians, as build named them. */
static void sign_in(const char *path, seat *writers, seat *readers)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, 0, &j, &err) != SB_OK)
        die("open", &err);
    size_t w = 0;
    for (int c = 0; c < CLINICIANS && w < WRITERS; c++)
        for (int k = 0; k < WRITERS / CLINICIANS + 1 && w < WRITERS; k++) {
            char user[64];
            snprintf(user, sizeof user, "client%03d-%02d", c, k);
            sb_account a;
            if (sb_account_find(j, user, &a, &err) != SB_OK)
                die("client", &err);
            writers[w].account = a.id;
            writers[w++].person = a.person;
        }
    for (int c = 0; c < READERS; c++) {
        char user[64];
        snprintf(user, sizeof user, "clinician%03d", c);
        sb_account a;
        if (sb_account_find(j, user, &a, &err) != SB_OK)
            die("clinician", &err);
        readers[c].account = a.id;
    }
    sb_web_session ws;
    char token[SB_TOKEN_TEXT];
    for (size_t i = 0; i < WRITERS + READERS; i++) {
        seat *s = i < WRITERS ? &writers[i] : &readers[i - WRITERS];
        if (sb_web_session_start(j, s->account, (int64_t)time(NULL),
                                 "127.0.0.1", token, &ws, &err) != SB_OK)
            die("session", &err);
        snprintf(s->cookie, sizeof s->cookie, "sb_session=%s", token);
        sodium_bin2base64(s->csrf, sizeof s->csrf, ws.csrf, sizeof ws.csrf,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    }
    sb_journal_close(j);
}

/* ---- HTTP/1.1 with keep-alive ------------------------------------------- */

typedef struct conn {
    int fd;
    unsigned port;
    char buf[1 << 16];
} conn;

static int dial(conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)c->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(c->fd);
        c->fd = -1;
        return 0;
    }
    return 1;
}

/* Sends a request and reads the response; its status, or 0 on failure. */
static int exchange(conn *c, const char *req, size_t len)
{
    if (c->fd < 0 && !dial(c))
        return 0;
    for (size_t off = 0; off < len;) {
        ssize_t k = send(c->fd, req + off, len - off, MSG_NOSIGNAL);
        if (k <= 0)
            goto broken;
        off += (size_t)k;
    }
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        ssize_t k = recv(c->fd, c->buf + have, sizeof c->buf - have - 1, 0);
        if (k <= 0)
            goto broken;
        have += (size_t)k;
        c->buf[have] = '\0';
        end = strstr(c->buf, "\r\n\r\n");
    }
    int status = 0;
    sscanf(c->buf, "HTTP/1.1 %d", &status);
    const char *cl = strstr(c->buf, "Content-Length: ");
    size_t body = cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0;
    size_t got = have - (size_t)(end + 4 - c->buf);
    while (got < body) {
        ssize_t k = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (k <= 0)
            goto broken;
        got += (size_t)k;
    }
    return status;
broken:
    close(c->fd);
    c->fd = -1;
    return 0;
}

/* ---- the load ------------------------------------------------------------- */

typedef struct shared {
    unsigned port;
    double until;
    double start;                /* of the load */
    double reload_s;             /* 0: the clinicians reload at once */
    atomic_int stop;
    pthread_mutex_t lock;
    double *submit_ms, *caseload_ms;
    size_t submits, caseloads;
    /* by slice of the run (SLICE_S each): acknowledged writes and the
     * caseloads' latencies, to show whether the run slows as it goes */
    size_t slice_writes[MAX_SLICES];
    double *slice_ms;            /* caseloads in order, with their slice */
    int *slice_of;
    size_t sliced;
} shared;

typedef struct worker {
    shared *sh;
    seat *seat;
    int reader;                  /* 1 + which clinician; 0: a writer */
    /* acknowledged (303) writes of this client */
    size_t questionnaires, reflections;
    size_t failures;
} worker;

/* `at` is when the request was sent (or due), in seconds of the run. */
static void record(shared *sh, double at, double ms, int caseload)
{
    int slice = (int)(at / SLICE_S);
    if (slice < 0)
        slice = 0;
    int sliced = slice < MAX_SLICES; /* runs past 640 s: the first 640 */
    if (!sliced)
        slice = MAX_SLICES - 1;
    pthread_mutex_lock(&sh->lock);
    if (caseload && sh->caseloads < MAX_SAMPLES) {
        sh->caseload_ms[sh->caseloads++] = ms;
        if (sh->slice_ms && sliced) {
            sh->slice_ms[sh->sliced] = ms;
            sh->slice_of[sh->sliced++] = slice;
        }
    } else if (!caseload) {
        if (sh->submits < MAX_SAMPLES)
            sh->submit_ms[sh->submits++] = ms;
        if (sliced)
            sh->slice_writes[slice]++;
    }
    pthread_mutex_unlock(&sh->lock);
}

static void *run(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    conn *c = malloc(sizeof *c);
    c->fd = -1;
    c->port = sh->port;
    char req[4096], body[1024];
    unsigned n = 0;
    while (!atomic_load(&sh->stop) && now_s() < sh->until) {
        size_t len;
        int questionnaire = n % 2 == 0;
        if (w->reader) {
            len = (size_t)snprintf(req, sizeof req,
                                   "GET /caseload HTTP/1.1\r\nHost: b\r\n"
                                   "Cookie: %s\r\n\r\n",
                                   w->seat->cookie);
        } else {
            int b = 0;
            if (questionnaire) {
                b = snprintf(body, sizeof body, "csrf=%s&action=submit",
                             w->seat->csrf);
                for (int i = 1; i <= 36; i++)
                    b += snprintf(body + b, sizeof body - (size_t)b,
                                  "&item%d=%d", i, 1 + (int)((i + n) % 7));
            } else {
                b = snprintf(body, sizeof body,
                             "csrf=%s&date=2026-11-30&trigger=bench+%u&"
                             "tried=no&intensity=3",
                             w->seat->csrf, n);
            }
            len = (size_t)snprintf(
                req, sizeof req,
                "POST %s HTTP/1.1\r\nHost: b\r\nCookie: %s\r\nContent-Type: "
                "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
                "\r\n%s",
                questionnaire ? "/me/questionnaires/ecr-r" : "/me/reflections",
                w->seat->cookie, b, body);
        }
        double t0 = now_s();
        if (w->reader && sh->reload_s > 0) {
            /* Due at a fixed moment, whether or not the page before it
             * has come. */
            double due = sh->start + sh->reload_s * ((double)n +
                                     (double)(w->reader - 1) / READERS);
            if (due >= sh->until)
                break;
            if (due > t0)
                usleep((useconds_t)((due - t0) * 1e6));
            t0 = due;
        }
        int status = exchange(c, req, len);
        double ms = (now_s() - t0) * 1e3;
        if (w->reader) {
            if (status == 200)
                record(sh, t0 - sh->start, ms, 1);
            else
                w->failures++;
        } else if (status == 303) {
            record(sh, t0 - sh->start, ms, 0);
            if (questionnaire)
                w->questionnaires++;
            else
                w->reflections++;
        } else {
            w->failures++;
        }
        n++;
    }
    if (c->fd >= 0)
        close(c->fd);
    free(c);
    return NULL;
}

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
    if (!n)
        return NAN;
    return v[(size_t)(p * (double)(n - 1))];
}

/* Writes a second and the caseload's p50/p99 for each slice of the run, so
 * that a run that slows as it goes shows where. */
static void print_slices(shared *sh, double elapsed)
{
    double *ms = malloc((sh->sliced ? sh->sliced : 1) * sizeof *ms);
    int slices = (int)(elapsed / SLICE_S + 0.999);
    if (slices > MAX_SLICES)
        slices = MAX_SLICES;
    printf("by %d-s slice of the run (writes acknowledged a second; caseload "
           "p50 / p99 ms, pages):\n",
           SLICE_S);
    for (int k = 0; k < slices; k++) {
        size_t n = 0;
        for (size_t i = 0; i < sh->sliced; i++)
            if (sh->slice_of[i] == k)
                ms[n++] = sh->slice_ms[i];
        qsort(ms, n, sizeof *ms, by_value);
        double span = fmin(SLICE_S, elapsed - k * SLICE_S);
        printf("  %3d-%3d s: %6.0f writes/s; caseload %5.1f / %6.1f ms (%zu)\n",
               k * SLICE_S, k * SLICE_S + (int)span,
               (double)sh->slice_writes[k] / span, pct(ms, n, 0.5),
               pct(ms, n, 0.99), n);
    }
    free(ms);
}

/* One page at a time, five times: the median wall and CPU time (the server
 * runs in this process, so its CPU time is the page's cost plus a little
 * for the client here). */
static void page_alone(unsigned port, const seat *s, const char *path)
{
    enum { TIMES = 5 };
    double wall[TIMES], cpu[TIMES];
    conn *c = malloc(sizeof *c);
    c->fd = -1;
    c->port = port;
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET %s HTTP/1.1\r\nHost: b\r\nCookie: %s\r\n\r\n",
                       path, s->cookie);
    for (int i = 0; i < TIMES; i++) {
        double t0 = now_s(), c0 = cpu_s();
        int status = exchange(c, req, (size_t)len);
        wall[i] = (now_s() - t0) * 1e3;
        cpu[i] = (cpu_s() - c0) * 1e3;
        if (status != 200) {
            fprintf(stderr, "bench_serve: GET %s answered %d\n", path, status);
            exit(1);
        }
    }
    if (c->fd >= 0)
        close(c->fd);
    free(c);
    qsort(wall, TIMES, sizeof *wall, by_value);
    qsort(cpu, TIMES, sizeof *cpu, by_value);
    printf("GET %-22s alone: median %.0f ms wall, %.0f ms CPU (of %d; "
           "fastest %.0f ms wall)\n",
           path, wall[TIMES / 2], cpu[TIMES / 2], TIMES, wall[0]);
}

/* Counts what the journal holds for each writer: assessments and bench
 * reflections (with trigger "bench N"). */
static void stored(const char *path, seat *writers, size_t *q, size_t *r)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, 0, &j, &err) != SB_OK)
        die("reopen", &err);
    for (size_t i = 0; i < WRITERS; i++) {
        sb_rec_reflection *f;
        size_t n, a;
        if (sb_journal_list(j, SB_KIND_REFLECTION, writers[i].person,
                            (void **)&f, &n, &err) != SB_OK ||
            sb_journal_count(j, SB_KIND_ASSESSMENT, writers[i].person, &a,
                             &err) != SB_OK)
            die("count", &err);
        r[i] = 0;
        for (size_t k = 0; k < n; k++)
            r[i] += !strncmp(f[k].trigger, "bench ", 6);
        q[i] = a;
        free(f);
    }
    if (sb_journal_check_integrity(j, &err) != SB_OK)
        die("integrity", &err);
    sb_journal_close(j);
}

static pid_t spawn_server(const char *cli, const char *db, unsigned port)
{
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
    pid_t pid = fork();
    if (pid == 0) {
        execl(cli, cli, "serve", "--db", db, "--listen", listen, "--quiet",
              (char *)NULL);
        _exit(127);
    }
    /* Wait until it answers. */
    for (int i = 0; i < 200; i++) {
        conn c = {.fd = -1, .port = port};
        if (dial(&c)) {
            close(c.fd);
            return pid;
        }
        usleep(50000);
    }
    fprintf(stderr, "bench_serve: the server did not start\n");
    exit(1);
}

int main(int argc, char **argv)
{
    int quick = 0, kill_mode = 0, pages_only = 0;
    double seconds = 60, reload_ms = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--kill"))
            kill_mode = 1;
        else if (!strcmp(argv[i], "--pages"))
            pages_only = 1;
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--reload") && i + 1 < argc)
            reload_ms = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_serve [--quick] [--seconds N] "
                            "[--reload MS] [--kill] [--pages]\n");
            return 2;
        }
    }
    if (sodium_init() < 0)
        return 1;
    int weeks = quick ? 8 : WEEKS;
    if (quick && seconds == 60)
        seconds = 10;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4096], db[4200];
    snprintf(dir, sizeof dir, "%s/bench-serve-XXXXXX", tmp);
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/practice.db", dir);
    static seat writers[WRITERS], readers[READERS];
    double t0 = now_s();
    /* SB_BENCH_PRACTICE names a copy of the built practice kept between
     * runs (building the full one takes minutes): used when it exists,
     * else written after the build. */
    const char *kept = getenv("SB_BENCH_PRACTICE");
    struct stat sb;
    char cmd[8800];
    int reused = kept && stat(kept, &sb) == 0;
    if (reused) {
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", kept, db);
        if (system(cmd) != 0)
            die("cannot copy the kept practice", NULL);
    } else {
        build(db, weeks);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", db, kept ? kept : "");
        if (kept && system(cmd) != 0)
            die("cannot keep the practice", NULL);
    }
    sign_in(db, writers, readers);
    stat(db, &sb);
    printf("practice: %d clinicians x %d clients x %d weeks (sessions, "
           "reflections weekly; ECR-R every 4 weeks): %.0f MB, %s in %.1f s\n",
           CLINICIANS, PER_CLINICIAN, weeks, (double)sb.st_size / 1e6,
           reused ? "copied" : "built", now_s() - t0);
    size_t q0[WRITERS], r0[WRITERS];
    stored(db, writers, q0, r0);

    sb_server *srv = NULL;
    pid_t child = 0;
    unsigned port = 0;
    if (kill_mode) {
        const char *cli = getenv("SECUREBASE") ? getenv("SECUREBASE")
                                               : "build/securebase";
        port = 20000 + (unsigned)(getpid() % 20000);
        child = spawn_server(cli, db, port);
    } else {
        sb_serve_options opt;
        sb_serve_options_default(&opt);
        opt.db = db;
        opt.listen = "127.0.0.1:0";
        if (getenv("SB_BENCH_THREADS"))
            opt.threads = (unsigned)atoi(getenv("SB_BENCH_THREADS"));
        sb_error err;
        if (sb_server_start(&opt, &srv, &err) != SB_OK)
            die("server", &err);
        port = sb_server_port(srv);
    }
    static worker w[WRITERS + READERS];
    pthread_t th[WRITERS + READERS];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (!kill_mode) {
        /* A client's report and what-if page, as their clinician opens
         * them: single requests. */
        char path[64];
        snprintf(path, sizeof path, "/clients/%lld/report",
                 (long long)1);
        page_alone(port, &readers[0], path);
        snprintf(path, sizeof path, "/clients/%lld/whatif", (long long)1);
        page_alone(port, &readers[0], path);
        page_alone(port, &readers[0], "/caseload");
    }
    if (pages_only) {
        if (srv)
            sb_server_stop(srv);
        char cmd[4400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (getenv("SB_BENCH_KEEP")) { /* to profile a page on it */
            printf("practice kept in %s\n", db);
            return 0;
        }
        return system(cmd) != 0;
    }
    if (!kill_mode) {
        /* The caseload alone first, one reader: what the page costs
         * without queueing. */
        shared base = {0};
        base.port = port;
        base.until = now_s() + (quick ? 3 : 10);
        pthread_mutex_init(&base.lock, NULL);
        base.caseload_ms = malloc(MAX_SAMPLES * sizeof *base.caseload_ms);
        w[WRITERS].sh = &base;
        w[WRITERS].reader = 1;
        w[WRITERS].seat = &readers[0];
        run(&w[WRITERS]);
        qsort(base.caseload_ms, base.caseloads, sizeof *base.caseload_ms,
              by_value);
        printf("caseload alone (one reader, no writers): p50 %.1f ms, p99 "
               "%.1f ms (%zu pages)\n",
               pct(base.caseload_ms, base.caseloads, 0.5),
               pct(base.caseload_ms, base.caseloads, 0.99), base.caseloads);
        free(base.caseload_ms);
        memset(&w[WRITERS], 0, READERS * sizeof *w);
    }
    /* Each clinician's first caseload computes the signals the server then
     * keeps (up to eight on the page, the rest in the background): a cost
     * of the first page after a start, shown apart from the load. */
    if (!kill_mode) {
        double first[READERS];
        for (size_t i = 0; i < READERS; i++) {
            conn *c = malloc(sizeof *c);
            c->fd = -1;
            c->port = port;
            char req[512];
            int len = snprintf(req, sizeof req,
                               "GET /caseload HTTP/1.1\r\nHost: b\r\n"
                               "Cookie: %s\r\n\r\n",
                               readers[i].cookie);
            double t0 = now_s();
            if (exchange(c, req, (size_t)len) != 200) {
                fprintf(stderr, "bench_serve: a first caseload failed\n");
                exit(1);
            }
            first[i] = (now_s() - t0) * 1e3;
            if (c->fd >= 0)
                close(c->fd);
            free(c);
        }
        qsort(first, READERS, sizeof *first, by_value);
        printf("each clinician's first caseload (signals not kept yet): "
               "median %.0f ms, longest %.0f ms (%d clinicians, one at a "
               "time)\n",
               first[READERS / 2], first[READERS - 1], READERS);
        sleep(2); /* the rest of their signals, in the background */
    }
    shared sh = {0};
    sh.port = port;
    sh.start = now_s();
    sh.until = sh.start + seconds;
    sh.reload_s = reload_ms / 1e3;
    pthread_mutex_init(&sh.lock, NULL);
    sh.submit_ms = malloc(MAX_SAMPLES * sizeof *sh.submit_ms);
    sh.caseload_ms = malloc(MAX_SAMPLES * sizeof *sh.caseload_ms);
    sh.slice_ms = malloc(MAX_SAMPLES * sizeof *sh.slice_ms);
    sh.slice_of = malloc(MAX_SAMPLES * sizeof *sh.slice_of);
    double start = now_s();
    for (size_t i = 0; i < WRITERS + READERS; i++) {
        w[i].sh = &sh;
        w[i].reader = i >= WRITERS ? (int)(i - WRITERS) + 1 : 0;
        w[i].seat = i < WRITERS ? &writers[i] : &readers[i - WRITERS];
        pthread_create(&th[i], &attr, run, &w[i]);
    }
    if (kill_mode) {
        usleep((useconds_t)(seconds / 2 * 1e6));
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        atomic_store(&sh.stop, 1);
        printf("server killed with SIGKILL after %.1f s under load\n",
               now_s() - start);
    }
    for (size_t i = 0; i < WRITERS + READERS; i++)
        pthread_join(th[i], NULL);
    double elapsed = now_s() - start;
    if (srv)
        sb_server_stop(srv);
    size_t acked_q = 0, acked_r = 0, failures = 0;
    for (size_t i = 0; i < WRITERS + READERS; i++) {
        acked_q += w[i].questionnaires;
        acked_r += w[i].reflections;
        failures += w[i].failures;
    }
    qsort(sh.submit_ms, sh.submits, sizeof *sh.submit_ms, by_value);
    qsort(sh.caseload_ms, sh.caseloads, sizeof *sh.caseload_ms, by_value);
    if (kill_mode)
        elapsed = seconds / 2;
    if (sh.reload_s > 0)
        printf("%d writers + %d clinicians, each reloading the caseload "
               "every %.0f ms, for %.1f s on %ld cores\n",
               WRITERS, READERS, reload_ms, elapsed,
               sysconf(_SC_NPROCESSORS_ONLN));
    else
        printf("%d writers + %d caseload readers (each reloading as soon as "
               "answered) for %.1f s on %ld cores\n",
               WRITERS, READERS, elapsed, sysconf(_SC_NPROCESSORS_ONLN));
    printf("acknowledged writes: %zu (%zu questionnaires, %zu reflections), "
           "%.0f per second; %zu requests not acknowledged\n",
           acked_q + acked_r, acked_q, acked_r,
           (double)(acked_q + acked_r) / elapsed, failures);
    printf("submission latency: p50 %.1f ms, p99 %.1f ms (%zu)\n",
           pct(sh.submit_ms, sh.submits, 0.5),
           pct(sh.submit_ms, sh.submits, 0.99), sh.submits);
    printf("caseload latency:   p50 %.1f ms, p99 %.1f ms (%zu pages of 50 "
           "clients)\n",
           pct(sh.caseload_ms, sh.caseloads, 0.5),
           pct(sh.caseload_ms, sh.caseloads, 0.99), sh.caseloads);
    if (!kill_mode)
        print_slices(&sh, elapsed);
    size_t q1[WRITERS], r1[WRITERS], lost = 0, extra = 0;
    stored(db, writers, q1, r1);
    for (size_t i = 0; i < WRITERS; i++) {
        size_t sq = q1[i] - q0[i], sr = r1[i] - r0[i];
        lost += (sq < w[i].questionnaires ? w[i].questionnaires - sq : 0) +
                (sr < w[i].reflections ? w[i].reflections - sr : 0);
        /* Stored but not acknowledged: in flight when the server died. */
        extra += (sq > w[i].questionnaires ? sq - w[i].questionnaires : 0) +
                 (sr > w[i].reflections ? sr - w[i].reflections : 0);
    }
    printf("in the journal: every acknowledged write %s (%zu missing; %zu "
           "stored whose answer never arrived); integrity check passed\n",
           lost ? "is NOT there" : "is there", lost, extra);
    if (kill_mode) {
        const char *cli = getenv("SECUREBASE") ? getenv("SECUREBASE")
                                               : "build/securebase";
        child = spawn_server(cli, db, port);
        conn c = {.fd = -1, .port = port};
        char req[256];
        int n = snprintf(req, sizeof req,
                         "GET /login HTTP/1.1\r\nHost: b\r\n\r\n");
        int status = exchange(&c, req, (size_t)n);
        printf("restarted: GET /login answers %d\n", status);
        kill(child, SIGTERM);
        waitpid(child, NULL, 0);
        if (c.fd >= 0)
            close(c.fd);
    }
    free(sh.submit_ms);
    free(sh.caseload_ms);
    free(sh.slice_ms);
    free(sh.slice_of);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_serve: could not remove %s\n", dir);
    return lost ? 1 : 0;
}
