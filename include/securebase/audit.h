/*
 * securebase audit log: who read or changed which record of a client, when,
 * and from where. Part of the journal layer; the table is append-only (its
 * triggers refuse UPDATE and DELETE) and has no foreign keys, so entries
 * outlive the accounts and records they name.
 */
#ifndef SECUREBASE_AUDIT_H
#define SECUREBASE_AUDIT_H

#include <securebase/accounts.h>

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_AUDIT_TIME_SIZE 25   /* "2026-01-31T12:34:56.789Z" and the NUL */
#define SB_AUDIT_ACTION_MAX 32  /* "read", "add", "export", ... */
#define SB_AUDIT_KIND_MAX 32    /* what kind of record: "reflection", "report" */
#define SB_AUDIT_ADDRESS_MAX 64 /* an IPv4 or IPv6 address as text */
#define SB_AUDIT_DETAIL_MAX 256

typedef struct sb_audit_entry {
    sb_id id;                             /* assigned when appended */
    char at[SB_AUDIT_TIME_SIZE];          /* UTC, assigned when appended */
    sb_id account;                        /* 0: none (a command line) */
    char username[SB_USERNAME_MAX];
    char action[SB_AUDIT_ACTION_MAX];
    char kind[SB_AUDIT_KIND_MAX];
    sb_id record;                         /* 0: not one record */
    sb_id person;                         /* whose record; 0: nobody's */
    char address[SB_AUDIT_ADDRESS_MAX];
    char detail[SB_AUDIT_DETAIL_MAX];
} sb_audit_entry;

/*
 * Appends an entry stamped with `now_ms` (Unix milliseconds); e->id and
 * e->at are written back. Texts are cut to their sizes, never refused: the
 * log must not lose an entry over a long detail.
 */
sb_status sb_audit_append(sb_journal *j, sb_audit_entry *e, int64_t now_ms,
                          sb_error *err);
/*
 * Up to `limit` entries older than `before` (0: the newest), newest first,
 * of one person (or everyone when 0). The caller frees *out.
 */
sb_status sb_audit_list(sb_journal *j, sb_id person, sb_id before,
                        size_t limit, sb_audit_entry **out, size_t *count,
                        sb_error *err);
/* The number of entries. */
sb_status sb_audit_count(sb_journal *j, size_t *count, sb_error *err);
/* Writes every entry, oldest first, as CSV with a header. */
sb_status sb_audit_export_csv(sb_journal *j, FILE *out, sb_error *err);

/*
 * The audit spool: a small database beside the journal (its path with
 * ".audit-spool" added) that makes entries durable at once, in
 * transactions of their own, while the journal's write transaction is busy
 * with other writes; the entries then move into the journal's log in the
 * journal's next transaction, which records in the journal how far the
 * spool has moved (its mark). A move never touches the spool's database,
 * so it does not wait for it. Opening the spool moves whatever an earlier
 * run left after the mark: after a crash at any point, every entry put
 * reaches the log exactly once.
 */
typedef struct sb_audit_spool sb_audit_spool;

/* Opens (or creates) the spool of journal `j` (writable) and moves what
 * the journal's mark says is not yet in the log. */
sb_status sb_audit_spool_open(sb_journal *j, sb_audit_spool **out,
                              sb_error *err);
void sb_audit_spool_close(sb_audit_spool *s);
/*
 * Stores `n` entries stamped `at_ms[i]` in one transaction: on the disk
 * when it returns SB_OK, with spool ids ascending up to *last. The same
 * transaction first deletes the entries up to `moved` (the last id of a
 * move whose journal transaction was committed; 0: none).
 */
sb_status sb_audit_spool_put(sb_audit_spool *s, int64_t moved,
                             const sb_audit_entry *e, const int64_t *at_ms,
                             size_t n, int64_t *last, sb_error *err);
/*
 * Appends `n` entries that sb_audit_spool_put stored (in the order put,
 * the last of them with id `last`) to the log of `j` and marks the
 * spool's entries up to `last` as moved, all or nothing, inside the
 * caller's open transaction. Reads only the spool's identity, never its
 * database: it may run on another thread than the spool's other calls.
 */
sb_status sb_audit_spool_move(const sb_audit_spool *s, sb_journal *j,
                              const sb_audit_entry *e, const int64_t *at_ms,
                              size_t n, int64_t last, sb_error *err);
/* The random identity the spool was created with (32 hex digits). */
const char *sb_audit_spool_identity(const sb_audit_spool *s);

#ifdef __cplusplus
}
#endif
#endif
