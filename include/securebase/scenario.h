/*
 * securebase scenario layer: reads scenario files (YAML) into validated
 * sb_scenario structs, knows the built-in scenarios and sets, and writes a
 * resolved scenario back as YAML. The model itself reads no files; this layer
 * is the only way text becomes a scenario. The file format is described in
 * docs/scenarios.md.
 */
#ifndef SECUREBASE_SCENARIO_H
#define SECUREBASE_SCENARIO_H

#include <securebase/base.h>
#include <securebase/model.h>

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest scenario or set file accepted, in bytes. */
#define SB_SCENARIO_MAX_BYTES (1024 * 1024)
/* Deepest nesting of YAML mappings and lists (the format needs 3). */
#define SB_SCENARIO_MAX_NESTING 8
/* Most YAML nodes in one file (a full scenario has a few hundred). */
#define SB_SCENARIO_MAX_NODES 10000
/* Longest chain of `base:` references. */
#define SB_SCENARIO_MAX_BASE_DEPTH 16
/* Most scenarios in one set. */
#define SB_SCENARIO_SET_MAX 64

/*
 * Loads one scenario from YAML text of `len` bytes (no NUL needed). `origin`
 * names the text in messages (file:line:column). When `origin` is the path of
 * an existing regular file, a `base:` given as a path is read relative to its
 * directory; otherwise `base:` may name built-in scenarios only. On failure
 * `*out` is left untouched and `err` says where and what.
 */
sb_status sb_scenario_load_text(const char *text, size_t len,
                                const char *origin, sb_scenario *out,
                                sb_error *err);

/* Loads one scenario from a file (at most SB_SCENARIO_MAX_BYTES). */
sb_status sb_scenario_load_file(const char *path, sb_scenario *out,
                                sb_error *err);

/*
 * The built-in scenarios and sets (scenarios/NAME.yaml compiled into the
 * library), sorted by name. Strings are static; not to be freed. The name
 * and description tables are filled once, on first use, thread-safely.
 */
size_t sb_scenario_builtin_count(void);
/* Name of built-in `i`, or NULL when i >= count. */
const char *sb_scenario_builtin_name(size_t i);
/* Its `description:`, or "" when it has none; NULL when i >= count. */
const char *sb_scenario_builtin_description(size_t i);
/* 1 when built-in `i` is a set of scenarios, 0 when a single scenario. */
int sb_scenario_builtin_is_set(size_t i);
/* The file as written (NUL-terminated), or NULL when there is none. */
const char *sb_scenario_builtin_text(const char *name);

/* Loads a built-in scenario (not a set) by name. */
sb_status sb_scenario_builtin(const char *name, sb_scenario *out,
                              sb_error *err);

/*
 * Turns a command-line argument into scenarios: `arg` is a built-in scenario
 * name, a built-in set name (e.g. "seed"), or the path of a scenario or set
 * file. On success `*list` is a malloc'd array of `*count` scenarios that
 * the caller frees with free(); on failure `*list` is NULL and `*count` 0.
 */
sb_status sb_scenario_resolve(const char *arg, sb_scenario **list,
                              size_t *count, sb_error *err);

/*
 * Writes a scenario as YAML without `base:`, every field spelled out, so that
 * loading the output gives back the identical struct. Fails, writing nothing,
 * when the scenario does not pass sb_scenario_check(), has a name or text
 * the loader would refuse, or has model constants no file can set.
 */
sb_status sb_scenario_write_yaml(const sb_scenario *sc, FILE *out,
                                 sb_error *err);

/*
 * What a relationship that a file adds by name starts from before its given
 * fields are applied (every field but the name, which the file must give).
 */
void sb_scenario_relationship_default(sb_relationship *r);

#ifdef __cplusplus
}
#endif
#endif
