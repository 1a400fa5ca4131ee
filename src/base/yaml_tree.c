/*
 * YAML text to a bounded tree of nodes, built from libyaml's events so that
 * aliases, anchors, tags and extra documents are seen (and refused) before
 * they can do harm, and every node keeps where it was written.
 */
#include "base/yaml_tree.h"

#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct builder {
    const char *origin;
    const sb__ytree_limits *limits;
    const char *text;
    size_t len;
    sb_error *err;
    sb__ynode *root;
    sb__ynode *stack[SB_YTREE_DEPTH_MAX];
    size_t depth;
    size_t nodes;
} builder;

void sb__ytree_free(sb__ynode *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->count; i++)
        sb__ytree_free(node->kids[i]);
    free(node->kids);
    free(node->text);
    free(node);
}

void sb__ytext_show(const char *text, size_t len, char *buf, size_t size)
{
    enum { SHOWN = 40 };
    size_t n = len, o = 0;
    int cut = 0;
    if (n > SHOWN) {
        n = SHOWN;
        /* Back up to the first byte of a UTF-8 sequence. */
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        cut = 1;
    }
    if (size == 0)
        return;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        buf[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (cut)
        for (int i = 0; i < 3 && o + 1 < size; i++)
            buf[o++] = '.';
    buf[o] = '\0';
}

int sb__yscalar_is(const sb__ynode *node, const char *s)
{
    size_t n = strlen(s);
    return node && node->kind == SB_YNODE_SCALAR && node->len == n &&
           !memcmp(node->text, s, n);
}

const sb__ynode *sb__ymap_get(const sb__ynode *map, const char *key,
                              const sb__ynode **key_node)
{
    if (key_node)
        *key_node = NULL;
    if (!map || map->kind != SB_YNODE_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (sb__yscalar_is(map->kids[i], key)) {
            if (key_node)
                *key_node = map->kids[i];
            return map->kids[i + 1];
        }
    return NULL;
}

static sb_status fail_at(builder *b, yaml_mark_t mark, sb_status st,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static sb_status fail_at(builder *b, yaml_mark_t mark, sb_status st,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_error_setv(b->err, st, b->origin, (unsigned long)mark.line + 1,
                  (unsigned long)mark.column + 1, fmt, ap);
    va_end(ap);
    return st;
}

/* Line and column (1-based, in characters) of a byte offset into the text. */
static void locate_offset(const char *text, size_t len, size_t offset,
                          unsigned long *line, unsigned long *column)
{
    unsigned long l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static sb_status parser_error(builder *b, const yaml_parser_t *p)
{
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return sb_error_set(b->err, SB_ERR_NOMEM, b->origin, 0, 0,
                            "out of memory while reading YAML");
    case YAML_READER_ERROR: {
        unsigned long line, column;
        locate_offset(b->text, b->len, p->problem_offset, &line, &column);
        if (p->problem_value != -1)
            return sb_error_set(b->err, SB_ERR_PARSE, b->origin, line, column,
                                "not UTF-8 YAML text: %s (byte or character "
                                "0x%X)",
                                p->problem, (unsigned)p->problem_value);
        return sb_error_set(b->err, SB_ERR_PARSE, b->origin, line, column,
                            "not UTF-8 YAML text: %s", p->problem);
    }
    default:
        break;
    }
    const char *problem = p->problem ? p->problem : "malformed input";
    if (p->context)
        return sb_error_set(b->err, SB_ERR_PARSE, b->origin,
                            (unsigned long)p->problem_mark.line + 1,
                            (unsigned long)p->problem_mark.column + 1,
                            "YAML syntax error: %s (%s at line %lu, column "
                            "%lu)",
                            problem, p->context,
                            (unsigned long)p->context_mark.line + 1,
                            (unsigned long)p->context_mark.column + 1);
    return sb_error_set(b->err, SB_ERR_PARSE, b->origin,
                        (unsigned long)p->problem_mark.line + 1,
                        (unsigned long)p->problem_mark.column + 1,
                        "YAML syntax error: %s", problem);
}

static sb_status push_kid(builder *b, sb__ynode *parent, sb__ynode *kid)
{
    sb__ynode **k = sb__grow(parent->kids, &parent->cap, parent->count + 1,
                             sizeof *k);
    if (!k)
        return sb_error_set(b->err, SB_ERR_NOMEM, b->origin, kid->line,
                            kid->column, "out of memory");
    parent->kids = k;
    parent->kids[parent->count++] = kid;
    return SB_OK;
}

/* A key of a mapping must be a scalar, and new in that mapping. */
static sb_status check_key(builder *b, const sb__ynode *map, const sb__ynode *key)
{
    if (key->kind != SB_YNODE_SCALAR)
        return sb_error_set(b->err, SB_ERR_PARSE, b->origin, key->line,
                            key->column,
                            "a key must be a plain word, not a %s",
                            key->kind == SB_YNODE_MAP ? "mapping" : "list");
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *k = map->kids[i];
        if (k->len == key->len && !memcmp(k->text, key->text, key->len)) {
            char shown[64];
            sb__ytext_show(key->text, key->len, shown, sizeof shown);
            return sb_error_set(b->err, SB_ERR_PARSE, b->origin, key->line,
                                key->column,
                                "duplicate key '%s' (first given at line %lu, "
                                "column %lu)",
                                shown, k->line, k->column);
        }
    }
    return SB_OK;
}

/* Makes a node at `mark` and hangs it under the open collection. */
static sb_status add_node(builder *b, sb__ynode_kind kind, yaml_mark_t mark,
                          sb__ynode **out)
{
    *out = NULL;
    if (++b->nodes > b->limits->max_nodes)
        return fail_at(b, mark, SB_ERR_PARSE,
                       "more than %zu YAML nodes; %s is far smaller",
                       b->limits->max_nodes, b->limits->what);
    sb__ynode *n = calloc(1, sizeof *n);
    if (!n)
        return fail_at(b, mark, SB_ERR_NOMEM, "out of memory");
    n->kind = kind;
    n->line = (unsigned long)mark.line + 1;
    n->column = (unsigned long)mark.column + 1;
    if (b->depth == 0) {
        b->root = n;
    } else {
        sb__ynode *parent = b->stack[b->depth - 1];
        sb_status st = push_kid(b, parent, n);
        if (st != SB_OK) {
            free(n);
            return st;
        }
    }
    *out = n;
    return SB_OK;
}

/* Refuses anchors and explicit tags on any node. */
static sb_status plain_node(builder *b, yaml_mark_t mark,
                            const yaml_char_t *anchor, const yaml_char_t *tag)
{
    char shown[64];
    if (anchor) {
        sb__ytext_show((const char *)anchor, strlen((const char *)anchor),
                       shown, sizeof shown);
        return fail_at(b, mark, SB_ERR_PARSE,
                       "anchors (&%s) are not supported in %s; write the "
                       "value out",
                       shown, b->limits->what);
    }
    if (tag) {
        sb__ytext_show((const char *)tag, strlen((const char *)tag), shown,
                       sizeof shown);
        return fail_at(b, mark, SB_ERR_PARSE,
                       "tags (%s) are not supported in %s", shown,
                       b->limits->what);
    }
    return SB_OK;
}

/* A new node is a key when its parent is a mapping with an even count. */
static int next_is_key(const builder *b)
{
    if (b->depth == 0)
        return 0;
    const sb__ynode *p = b->stack[b->depth - 1];
    return p->kind == SB_YNODE_MAP && p->count % 2 == 0;
}

static sb_status on_scalar(builder *b, const yaml_event_t *ev)
{
    sb_status st = plain_node(b, ev->start_mark, ev->data.scalar.anchor,
                              ev->data.scalar.tag);
    if (st != SB_OK)
        return st;
    int is_key = next_is_key(b);
    sb__ynode *n;
    st = add_node(b, SB_YNODE_SCALAR, ev->start_mark, &n);
    if (st != SB_OK)
        return st;
    n->len = ev->data.scalar.length;
    n->text = malloc(n->len + 1);
    if (!n->text)
        return fail_at(b, ev->start_mark, SB_ERR_NOMEM, "out of memory");
    if (n->len)
        memcpy(n->text, ev->data.scalar.value, n->len);
    n->text[n->len] = '\0';
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (is_key) {
        /* The key is already in the mapping; compare with the earlier ones. */
        sb__ynode *map = b->stack[b->depth - 1];
        map->count--;
        st = check_key(b, map, n);
        map->count++;
    }
    return st;
}

static sb_status on_start(builder *b, const yaml_event_t *ev, sb__ynode_kind kind)
{
    const yaml_char_t *anchor = kind == SB_YNODE_MAP
                                    ? ev->data.mapping_start.anchor
                                    : ev->data.sequence_start.anchor;
    const yaml_char_t *tag = kind == SB_YNODE_MAP ? ev->data.mapping_start.tag
                                                  : ev->data.sequence_start.tag;
    sb_status st = plain_node(b, ev->start_mark, anchor, tag);
    if (st != SB_OK)
        return st;
    if (next_is_key(b))
        return fail_at(b, ev->start_mark, SB_ERR_PARSE,
                       "a key must be a plain word, not a %s",
                       kind == SB_YNODE_MAP ? "mapping" : "list");
    if (b->depth >= b->limits->max_depth)
        return fail_at(b, ev->start_mark, SB_ERR_PARSE,
                       "mappings and lists are nested more than %zu levels "
                       "deep",
                       b->limits->max_depth);
    sb__ynode *n;
    st = add_node(b, kind, ev->start_mark, &n);
    if (st != SB_OK)
        return st;
    b->stack[b->depth++] = n;
    return SB_OK;
}

sb_status sb__ytree_parse(const char *text, size_t len, const char *origin,
                          const sb__ytree_limits *limits, sb__ynode **root,
                          sb_error *err)
{
    *root = NULL;
    if (!origin)
        origin = "<text>";
    sb__ytree_limits lim = *limits;
    if (lim.max_depth > SB_YTREE_DEPTH_MAX)
        lim.max_depth = SB_YTREE_DEPTH_MAX;
    if (len > lim.max_bytes)
        return sb_error_set(err, SB_ERR_INVALID, origin, 0, 0,
                            "%zu bytes is too large; %s may have at most %zu "
                            "bytes",
                            len, lim.what, lim.max_bytes);
    if (!text)
        text = "";
    /* A UTF-8 byte-order mark (some editors write one) is not content;
     * libyaml keeps it when the encoding is fixed, so it is dropped here. */
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
        text += 3;
        len -= 3;
    }
    builder b = {.origin = origin, .limits = &lim, .text = text, .len = len,
                 .err = err};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    sb_status st = SB_OK;
    int documents = 0, done = 0;
    while (!done && st == SB_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = parser_error(&b, &parser);
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (documents++)
                st = fail_at(&b, ev.start_mark, SB_ERR_PARSE,
                             "%s holds one YAML document; a second one "
                             "starts here",
                             lim.what);
            break;
        case YAML_ALIAS_EVENT: {
            char shown[64];
            const char *a = (const char *)ev.data.alias.anchor;
            sb__ytext_show(a, strlen(a), shown, sizeof shown);
            st = fail_at(&b, ev.start_mark, SB_ERR_PARSE,
                         "aliases (*%s) are not supported in %s; write the "
                         "value out",
                         shown, lim.what);
            break;
        }
        case YAML_SCALAR_EVENT:
            st = on_scalar(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            st = on_start(&b, &ev, SB_YNODE_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            st = on_start(&b, &ev, SB_YNODE_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            b.depth--;
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (st == SB_OK && !b.root)
        st = sb_error_set(err, SB_ERR_PARSE, origin, 1, 1,
                          "the file is empty; %s starts with `name:`",
                          lim.what);
    if (st != SB_OK) {
        sb__ytree_free(b.root);
        return st;
    }
    *root = b.root;
    return SB_OK;
}
