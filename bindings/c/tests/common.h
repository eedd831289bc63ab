/* Helpers shared by the C tests: checks with counters, file reading, paths. */
#ifndef HT_TEST_COMMON_H
#define HT_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hybridtrust.h"

static int test_passed = 0;
static int test_failed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            test_passed++;                                                          \
        } else {                                                                    \
            test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

#define CHECK_RC(expr, want)                                                        \
    do {                                                                            \
        ht_result rc_ = (expr);                                                     \
        if (rc_ == (ht_result)(want)) {                                             \
            test_passed++;                                                          \
        } else {                                                                    \
            test_failed++;                                                          \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %s\n", __FILE__,  \
                    __LINE__, #expr, (unsigned)rc_, ht_result_message(rc_), #want); \
        }                                                                           \
    } while (0)

/* The repository root, from argv[1]. */
static const char *repo_root = ".";

/* Joins the repository root and a relative path into a static buffer. */
static const char *repo_path(const char *rel) {
    static char buf[4][4096];
    static int next = 0;
    char *out = buf[next];
    next = (next + 1) % 4;
    snprintf(out, sizeof buf[0], "%s/%s", repo_root, rel);
    return out;
}

/* Reads a whole file; the caller frees *data. Returns 0 on success. */
static int read_file(const char *path, unsigned char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return -1;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        cap *= 2;
        unsigned char *bigger = realloc(buf, cap);
        if (!bigger) {
            free(buf);
            fclose(f);
            return -1;
        }
        buf = bigger;
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

/* A parsed chain as the arrays ht_verify takes. */
typedef struct {
    ht_chain *chain;
    const uint8_t *certs[128];
    size_t lens[128];
    size_t count;
} test_chain;

/* Parses a PEM chain file (absolute path) into `out`. Returns 0 on success. */
static int load_chain(const char *path, test_chain *out) {
    unsigned char *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (read_file(path, &data, &len) != 0) {
        return -1;
    }
    ht_result rc = ht_chain_parse(data, len, &out->chain);
    free(data);
    if (rc != HT_OK) {
        return -1;
    }
    out->count = ht_chain_len(out->chain);
    for (size_t i = 0; i < out->count && i < 128; i++) {
        if (ht_chain_certificate(out->chain, i, &out->certs[i], &out->lens[i]) != HT_OK) {
            return -1;
        }
    }
    return 0;
}

static void free_chain(test_chain *c) {
    ht_chain_free(c->chain);
    c->chain = NULL;
}

/* Builds a lenient store from a directory or a file (relative to the repo) at `at`. */
static ht_store *store_from(const char *rel, uint64_t at, int is_dir) {
    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    const char *p = repo_path(rel);
    if (ht_store_builder_new(&b) != HT_OK) {
        return NULL;
    }
    ht_store_builder_set_time(b, at);
    if (is_dir) {
        ht_store_builder_add_dir(b, (const uint8_t *)p, strlen(p));
    } else {
        ht_store_builder_add_file(b, (const uint8_t *)p, strlen(p));
    }
    if (ht_store_builder_build(b, &s) != HT_OK) {
        s = NULL;
    }
    ht_store_builder_free(b);
    return s;
}

static int test_summary(const char *name) {
    printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
    return test_failed == 0 ? 0 : 1;
}

#endif /* HT_TEST_COMMON_H */
