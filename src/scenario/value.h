/*
 * Scalar values of a scenario file: strict conversion of YAML nodes to
 * numbers, whole numbers, booleans, enum names and strings, each failure a
 * located message naming the field, what was expected and what was found.
 * The text rules for names and descriptions live here too, so the writer
 * refuses exactly what the loader would.
 */
#ifndef SB_SCENARIO_VALUE_H
#define SB_SCENARIO_VALUE_H

#include "base/yaml_tree.h"

#include <securebase/model.h>

/* Where messages go: the file name used for locations and the error. */
typedef struct sb__yctx {
    const char *origin;
    sb_error *err;
} sb__yctx;

/* Sets an error located at `node` (1:1 when node is NULL). */
sb_status sb__yfail(const sb__yctx *c, sb_status st, const sb__ynode *node,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* "'text'", "a mapping", "a list" or "nothing", for "got ..." messages. */
void sb__ynode_describe(const sb__ynode *node, char *buf, size_t size);

/* Requires a mapping (or list) at `node`; `path` names it in the message. */
sb_status sb__yexpect(const sb__yctx *c, const sb__ynode *node,
                      sb__ynode_kind kind, const char *path);

/* A finite number in [min, max], written as a plain decimal number. */
sb_status sb__yget_double(const sb__yctx *c, const sb__ynode *node,
                          const char *path, double min, double max,
                          double *out);
/* A whole number in [min, max] (digits with an optional sign). */
sb_status sb__yget_int(const sb__yctx *c, const sb__ynode *node, const char *path,
                       double min, double max, int *out);
/* `true` or `false`, unquoted. */
sb_status sb__yget_bool(const sb__yctx *c, const sb__ynode *node,
                        const char *path, int *out);
/* One of the NULL-terminated `names`; its index. */
sb_status sb__yget_enum(const sb__yctx *c, const sb__ynode *node,
                        const char *path, const char *const *names, int *out);
/*
 * Text of fewer than `size` bytes into `out` (zero-filled to `size`). Names
 * (is_name) follow sb__text_is_name; other text sb__text_is_printable.
 */
sb_status sb__yget_string(const sb__yctx *c, const sb__ynode *node,
                          const char *path, size_t size, int is_name,
                          char *out);

/* Sets one table field (any type but SB_FIELD_DIST) of the struct at `base`. */
sb_status sb__yget_field(const sb__yctx *c, const sb_field_info *f,
                         const sb__ynode *node, const char *path, void *base);

/*
 * Whether `v`, the double nearest to the decimal text[0..len), holds that
 * number: not when a non-zero text underflows to 0, or to a subnormal that
 * is not within one part in 10^15 of it (15 significant digits, as any
 * normal double is). The loader refuses such text; the writer never writes
 * it.
 */
int sb__text_holds_double(const char *text, size_t len, double v);

/*
 * A name: 1 or more of letters, digits and . _ + - , starting with a letter
 * or digit. Names end up in file names, tables and reports.
 */
int sb__text_is_name(const char *s, size_t len);
/* UTF-8 text with no control characters (what YAML accepts unescaped). */
int sb__text_is_printable(const char *s, size_t len);

/*
 * Edit distance (insertions, deletions, substitutions) between `a` (of `na`
 * bytes) and `b`, for "did you mean" hints; SIZE_MAX when either is longer
 * than 48 bytes.
 */
size_t sb__text_distance(const char *a, size_t na, const char *b);

#endif
