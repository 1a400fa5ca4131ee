/*
 * Where scenario text comes from (a file, a built-in, a caller's buffer),
 * how `base:` and set members are found from it, and loading one scenario
 * with its chain of bases. Shared by the loader, sets and built-ins.
 */
#ifndef SB_SCENARIO_LOAD_H
#define SB_SCENARIO_LOAD_H

#include "base/yaml_tree.h"

#include <securebase/scenario.h>

/* What a scenario or set file may hold (sizes in scenario.h). */
extern const sb__ytree_limits sb__scenario_yaml_limits;

/* One source of YAML text; every pointer is owned (sb__source_free). */
typedef struct sb__source {
    const char *text;
    size_t len;
    char *origin;   /* file name used in messages */
    char *dir;      /* directory for relative paths; NULL: built-ins only */
    char *identity; /* what `base:` cycles are detected on */
    char *buffer;   /* the text, when this source read it */
} sb__source;

void sb__source_free(sb__source *src);

/* A built-in by name; SB_ERR_NOTFOUND (with a message) if there is none. */
sb_status sb__source_builtin(const char *name, sb__source *src, sb_error *err);
/* A file, read whole (at most SB_SCENARIO_MAX_BYTES). */
sb_status sb__source_file(const char *path, sb__source *src, sb_error *err);
/* A caller's text; relative paths work when `origin` is a regular file. */
sb_status sb__source_text(const char *text, size_t len, const char *origin,
                          sb__source *src, sb_error *err);
/*
 * The source that a `base:` or set member written at `node` in `from`
 * refers to: a built-in name, or a path (relative to from's directory).
 * `what` names the reference in messages ("base", "set member").
 */
sb_status sb__source_ref(const sb__source *from, const sb__ynode *node,
                         const char *what, sb__source *out, sb_error *err);

/* Whether a reference is a path rather than a built-in name. */
int sb__source_is_path(const char *ref);

/* The chain of sources being loaded, for cycle and depth checks. */
typedef struct sb__loader {
    sb_error *err;
    size_t depth;
    const sb__source *chain[SB_SCENARIO_MAX_BASE_DEPTH + 2];
} sb__loader;

/*
 * Loads the scenario whose parsed text is `root` (from `src`, which the
 * caller has pushed on the chain): resolves its base, applies it, and checks
 * the result with sb_scenario_check(), locating any error. `out` is written
 * only on success.
 */
sb_status sb__load_scenario_tree(sb__loader *ld, const sb__source *src,
                                 const sb__ynode *root, sb_scenario *out);

/*
 * Loads the scenario that the reference at `node` in `from` names (a `base:`
 * or a set member; `what` says which in messages) onto the chain `ld`: too
 * deep a chain, a cycle and a set are refused, located at `node`. A set
 * member starts a chain of its own (an empty sb__loader).
 */
sb_status sb__load_ref(sb__loader *ld, const sb__source *from,
                       const sb__ynode *node, const char *what,
                       sb_scenario *out);

/* Loads the one scenario in `src` (not a set) on a fresh chain. */
sb_status sb__load_scenario_source(const sb__source *src, sb_scenario *out,
                                   sb_error *err);

/* "a, b, c": the built-in names, for messages. */
void sb__scenario_builtin_names(char *buf, size_t size);
/* The built-in name nearest to a misspelt `name`, or NULL if none is near. */
const char *sb__scenario_builtin_closest(const char *name);

#endif
