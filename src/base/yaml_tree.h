/*
 * A small, bounded YAML tree for the files securebase reads (scenarios,
 * instruments): one document of mappings, lists and scalars, each node with
 * its 1-based line and column. Anything those formats have no use for and
 * that could be abused (aliases, anchors, tags, several documents, deep
 * nesting, huge input) is refused while parsing, with the location of the
 * offending node.
 */
#ifndef SB_BASE_YAML_TREE_H
#define SB_BASE_YAML_TREE_H

#include <securebase/base.h>

#include <stddef.h>

typedef enum sb__ynode_kind {
    SB_YNODE_SCALAR,
    SB_YNODE_MAP,
    SB_YNODE_SEQ
} sb__ynode_kind;

typedef struct sb__ynode {
    sb__ynode_kind kind;
    unsigned long line, column; /* 1-based */
    /* scalars */
    char *text;                 /* NUL-terminated; may hold a NUL inside */
    size_t len;
    int plain;                  /* unquoted: may be a number or a bool */
    /* mappings (key, value, key, value, ...) and lists */
    struct sb__ynode **kids;
    size_t count;               /* children; pairs * 2 for mappings */
    size_t cap;
} sb__ynode;

/* The deepest nesting any format may allow. */
#define SB_YTREE_DEPTH_MAX 32

/* What one format accepts, and its name for messages. */
typedef struct sb__ytree_limits {
    const char *what;   /* "a scenario file", as in "... may have at most" */
    size_t max_bytes;   /* larger input is refused before parsing */
    size_t max_depth;   /* nested mappings and lists, at most DEPTH_MAX */
    size_t max_nodes;   /* scalars, mappings and lists together */
} sb__ytree_limits;

/*
 * Parses `len` bytes of YAML within `limits`. On success `*root` is the
 * document's root node (free with sb__ytree_free). An input with no document
 * at all is an error located at 1:1. Keys of mappings are scalars and
 * unique.
 */
sb_status sb__ytree_parse(const char *text, size_t len, const char *origin,
                          const sb__ytree_limits *limits, sb__ynode **root,
                          sb_error *err);

void sb__ytree_free(sb__ynode *node);

/* The value of `key` in a mapping, or NULL; `key_node` gets the key. */
const sb__ynode *sb__ymap_get(const sb__ynode *map, const char *key,
                              const sb__ynode **key_node);

/* Whether a scalar's text is exactly `s`. */
int sb__yscalar_is(const sb__ynode *node, const char *s);

/*
 * Text fit for a message: at most about 40 characters (cut on a character
 * boundary, with "..." added), control characters shown as '?'.
 */
void sb__ytext_show(const char *text, size_t len, char *buf, size_t size);

#endif
