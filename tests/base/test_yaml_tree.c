/*
 * Tests for src/base/yaml_tree.c: node positions, and hostile YAML (empty,
 * binary, bad UTF-8, aliases, anchors, tags, several documents, deep
 * nesting, too many nodes, duplicate and complex keys, huge input).
 */
#include "support.h"

#include "base/yaml_tree.h"

#include <stdlib.h>
#include <string.h>

/* The limits of a format like the scenario files'. */
static const sb__ytree_limits limits = {"a test file", 1024 * 1024, 8, 10000};

/* Parses and expects failure at line:column with the given phrases. */
static void expect_parse_error(const char *text, size_t len, sb_status status,
                               unsigned long line, unsigned long column,
                               const char *const *phrases)
{
    sb__ynode *root = (sb__ynode *)&root; /* must come back NULL */
    sb_error err;
    sb_status st = sb__ytree_parse(text, len, "t.yaml", &limits, &root, &err);
    if (st != status) {
        print_error("status %d, expected %d: %s\n", (int)st, (int)status,
                    st ? err.message : "(ok)");
        fail();
    }
    assert_null(root);
    expect_error_at(&err, "t.yaml", line, column, phrases);
}

#define PARSE_ERROR(text, status, line, column, ...)                       \
    expect_parse_error(text, sizeof(text) - 1, status, line, column,       \
                       PHRASES(__VA_ARGS__))

static void nodes_know_where_they_were_written(void **state)
{
    (void)state;
    const char *text = "# comment\nname: x\ntherapy:\n  weeks: 12\n"
                       "list: [a, \"b\"]\n";
    sb__ynode *root;
    sb_error err;
    assert_int_equal(
        sb__ytree_parse(text, strlen(text), "t.yaml", &limits, &root, &err),
        SB_OK);
    assert_int_equal(root->kind, SB_YNODE_MAP);
    assert_int_equal(root->count, 6);
    const sb__ynode *key;
    const sb__ynode *therapy = sb__ymap_get(root, "therapy", &key);
    assert_non_null(therapy);
    assert_int_equal(key->line, 3);
    assert_int_equal(key->column, 1);
    const sb__ynode *weeks = sb__ymap_get(therapy, "weeks", NULL);
    assert_int_equal(weeks->line, 4);
    assert_int_equal(weeks->column, 10);
    assert_true(weeks->plain);
    assert_true(sb__yscalar_is(weeks, "12"));
    const sb__ynode *list = sb__ymap_get(root, "list", NULL);
    assert_int_equal(list->kind, SB_YNODE_SEQ);
    assert_int_equal(list->count, 2);
    assert_int_equal(list->kids[1]->column, 11);
    assert_false(list->kids[1]->plain);
    assert_null(sb__ymap_get(root, "missing", &key));
    assert_null(key);
    assert_null(sb__ymap_get(weeks, "x", NULL)); /* not a mapping */
    sb__ytree_free(root);
    sb__ytree_free(NULL);
}

static void byte_order_mark_and_crlf_are_fine(void **state)
{
    (void)state;
    const char *text = "\xef\xbb\xbfname: x\r\ntherapy: {weeks: 3}\r\n";
    sb__ynode *root;
    sb_error err;
    assert_int_equal(
        sb__ytree_parse(text, strlen(text), "t.yaml", &limits, &root, &err),
        SB_OK);
    const sb__ynode *key;
    assert_non_null(sb__ymap_get(root, "therapy", &key));
    assert_int_equal(key->line, 2);
    assert_int_equal(key->column, 1);
    sb__ytree_free(root);
}

static void empty_input_has_no_document(void **state)
{
    (void)state;
    PARSE_ERROR("", SB_ERR_PARSE, 1, 1, "the file is empty");
    PARSE_ERROR("# only a comment\n\n", SB_ERR_PARSE, 1, 1, "the file is empty");
    sb__ynode *root;
    sb_error err;
    assert_int_equal(sb__ytree_parse(NULL, 0, NULL, &limits, &root, &err),
                     SB_ERR_PARSE);
    assert_string_equal(err.file, "<text>");
}

static void binary_and_bad_utf8_fail_where_they_start(void **state)
{
    (void)state;
    PARSE_ERROR("\x00\x01\x02\x03", SB_ERR_PARSE, 1, 1, "not UTF-8 YAML text",
                "control characters are not allowed");
    PARSE_ERROR("name: x\n\xff\xfe junk\n", SB_ERR_PARSE, 2, 1,
                "not UTF-8 YAML text", "invalid leading UTF-8 octet", "0xFF");
    /* The column counts characters: "caf\xc3\xa9 " is 5 of them. */
    PARSE_ERROR("name: x\ndescription: caf\xc3\xa9 \x80\n", SB_ERR_PARSE, 2, 19,
                "invalid leading UTF-8 octet");
    PARSE_ERROR("name: x\ndescription: caf\xc3", SB_ERR_PARSE, 2, 17,
                "incomplete UTF-8 octet sequence");
    PARSE_ERROR("name: x\r\nbad: \x01\r\n", SB_ERR_PARSE, 2, 6,
                "control characters are not allowed");
    /* UTF-16 (with its byte-order mark) is not UTF-8. */
    PARSE_ERROR("\xff\xfen\x00" "a\x00", SB_ERR_PARSE, 1, 1,
                "not UTF-8 YAML text");
    /* A NUL in the middle ends nothing: it is refused. */
    PARSE_ERROR("name: x\x00y\n", SB_ERR_PARSE, 1, 8,
                "control characters are not allowed");
}

static void syntax_errors_say_where(void **state)
{
    (void)state;
    PARSE_ERROR("name: x\ntherapy: {weeks: 40\n", SB_ERR_PARSE, 3, 1,
                "YAML syntax error", "while parsing a flow mapping at line 2, "
                "column 10");
    PARSE_ERROR("a: b: c\n", SB_ERR_PARSE, 1, 5, "YAML syntax error",
                "mapping values are not allowed");
    PARSE_ERROR("a: 'unterminated\n", SB_ERR_PARSE, 2, 1, "YAML syntax error",
                "found unexpected end of stream");
}

static void aliases_anchors_and_tags_are_refused(void **state)
{
    (void)state;
    PARSE_ERROR("a: &x 1\nb: *x\n", SB_ERR_PARSE, 1, 4,
                "anchors (&x) are not supported");
    PARSE_ERROR("a: [*x]\n", SB_ERR_PARSE, 1, 5,
                "aliases (*x) are not supported", "write the value out");
    /* The classic alias bomb stops at the first anchor. */
    PARSE_ERROR("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\n"
                "c: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n",
                SB_ERR_PARSE, 1, 4, "anchors (&a)");
    PARSE_ERROR("name: !!str x\n", SB_ERR_PARSE, 1, 7,
                "tags (tag:yaml.org,2002:str) are not supported");
    PARSE_ERROR("therapy: !custom {weeks: 1}\n", SB_ERR_PARSE, 1, 10,
                "tags (!custom) are not supported");
    PARSE_ERROR("list: !!seq [1]\n", SB_ERR_PARSE, 1, 7, "tags (");
}

static void one_document_only(void **state)
{
    (void)state;
    PARSE_ERROR("name: x\n---\nname: y\n", SB_ERR_PARSE, 2, 1,
                "holds one YAML document; a second one starts here");
    PARSE_ERROR("--- a\n...\n--- b\n", SB_ERR_PARSE, 3, 1,
                "holds one YAML document");
    /* A single explicit document is fine. */
    sb__ynode *root;
    sb_error err;
    const char *text = "%YAML 1.1\n---\nname: x\n...\n";
    assert_int_equal(
        sb__ytree_parse(text, strlen(text), "t.yaml", &limits, &root, &err),
        SB_OK);
    sb__ytree_free(root);
}

static void keys_are_unique_plain_words(void **state)
{
    (void)state;
    PARSE_ERROR("name: x\ntherapy: {weeks: 1, weeks: 2}\n", SB_ERR_PARSE, 2, 21,
                "duplicate key 'weeks' (first given at line 2, column 11)");
    PARSE_ERROR("name: x\nname: x\n", SB_ERR_PARSE, 2, 1, "duplicate key 'name'");
    /* Quoting does not make a key different. */
    PARSE_ERROR("name: x\n\"name\": y\n", SB_ERR_PARSE, 2, 1,
                "duplicate key 'name'");
    PARSE_ERROR("? [a]\n: 1\n", SB_ERR_PARSE, 1, 3,
                "a key must be a plain word, not a list");
    PARSE_ERROR("{a: 1}: 2\n", SB_ERR_PARSE, 1, 1,
                "a key must be a plain word, not a mapping");
    PARSE_ERROR("x:\n  ? {a: 1}\n  : 2\n", SB_ERR_PARSE, 2, 5,
                "not a mapping");
}

static void nesting_is_limited(void **state)
{
    (void)state;
    /* The root mapping and 7 lists are 8 levels; the 8th list is one more. */
    PARSE_ERROR("name: x\nmodel: [[[[[[[[[[[[1]]]]]]]]]]]]\n", SB_ERR_PARSE, 2,
                15, "nested more than 8 levels deep");
    sb__ynode *root;
    sb_error err;
    const char *ok = "model: [[[[[[[1]]]]]]]\n";
    assert_int_equal(
        sb__ytree_parse(ok, strlen(ok), "t.yaml", &limits, &root, &err), SB_OK);
    sb__ytree_free(root);
    /* A megabyte of opening brackets stops early too. */
    size_t n = limits.max_bytes;
    char *deep = malloc(n);
    assert_non_null(deep);
    memset(deep, '[', n);
    assert_int_equal(sb__ytree_parse(deep, n, "t.yaml", &limits, &root, &err),
                     SB_ERR_PARSE);
    expect_error_at(&err, "t.yaml", 1, 9, PHRASES("nested more than 8"));
    free(deep);
}

static void node_count_is_limited(void **state)
{
    (void)state;
    /* root, "model" and the list are 3 nodes; the list's items follow. */
    size_t items = limits.max_nodes;
    size_t cap = 16 + 2 * items;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t o = (size_t)snprintf(text, cap, "model: [");
    for (size_t i = 0; i < items; i++) {
        text[o++] = '1';
        text[o++] = i + 1 < items ? ',' : ']';
    }
    sb__ynode *root;
    sb_error err;
    assert_int_equal(sb__ytree_parse(text, o, "t.yaml", &limits, &root, &err),
                     SB_ERR_PARSE);
    /* Item 9998 (1-based) is node 10001, at column 9 + 2 * 9997. */
    expect_error_at(&err, "t.yaml", 1, 9 + 2 * 9997,
                    PHRASES("more than 10000 YAML nodes"));
    /* 9997 items make exactly 10000 nodes, which is allowed. */
    o = (size_t)snprintf(text, cap, "model: [");
    for (size_t i = 0; i < 9997; i++) {
        text[o++] = '1';
        text[o++] = i + 1 < 9997 ? ',' : ']';
    }
    assert_int_equal(
        sb__ytree_parse(text, o, "t.yaml", &limits, &root, &err), SB_OK);
    sb__ytree_free(root);
    free(text);
}

static void size_is_limited(void **state)
{
    (void)state;
    /* Ten megabytes of harmless text: refused by size, not parsed. */
    size_t n = 10u * 1024 * 1024;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, '#', n);
    sb__ynode *root;
    sb_error err;
    assert_int_equal(sb__ytree_parse(text, n, "t.yaml", &limits, &root, &err),
                     SB_ERR_INVALID);
    assert_null(root);
    assert_string_equal(err.file, "t.yaml");
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "10485760 bytes is too large; a "
                                        "test file may have at most "
                                        "1048576 bytes"));
    free(text);
}

static void text_for_messages_is_short_and_printable(void **state)
{
    (void)state;
    char buf[128];
    sb__ytext_show("a\tb\x7f", 4, buf, sizeof buf);
    assert_string_equal(buf, "a?b?");
    char long_text[100];
    memset(long_text, 'x', sizeof long_text);
    sb__ytext_show(long_text, sizeof long_text, buf, sizeof buf);
    assert_int_equal(strlen(buf), 43);
    assert_string_equal(buf + 40, "...");
    /* 39 ASCII bytes and a 2-byte character across the cut: cut before it. */
    char utf[64];
    memset(utf, 'y', 39);
    memcpy(utf + 39, "\xc3\xa9zzzz", 6);
    sb__ytext_show(utf, 45, buf, sizeof buf);
    assert_int_equal(strlen(buf), 42);
    assert_string_equal(buf + 39, "...");
    sb__ytext_show("abcdef", 6, buf, 4);
    assert_string_equal(buf, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nodes_know_where_they_were_written),
        cmocka_unit_test(byte_order_mark_and_crlf_are_fine),
        cmocka_unit_test(empty_input_has_no_document),
        cmocka_unit_test(binary_and_bad_utf8_fail_where_they_start),
        cmocka_unit_test(syntax_errors_say_where),
        cmocka_unit_test(aliases_anchors_and_tags_are_refused),
        cmocka_unit_test(one_document_only),
        cmocka_unit_test(keys_are_unique_plain_words),
        cmocka_unit_test(nesting_is_limited),
        cmocka_unit_test(node_count_is_limited),
        cmocka_unit_test(size_is_limited),
        cmocka_unit_test(text_for_messages_is_short_and_printable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
