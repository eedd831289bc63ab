/* Per-call cost of ht_verify (+ ht_verified_free) through libhybridtrust, for
 * scripts/bench.sh, which compares it with the Rust API's per-call figure
 * (perf_probe verify) measured in the same run.
 *
 *   bench_verify DATA_DIR ALG ROUNDS BATCH
 *
 * Prints one JSON object. The C API has no verification cache: every
 * ht_verify call verifies in full, as the uncached Rust verifier does. */
#define _POSIX_C_SOURCE 199309L
#include <hybridtrust.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char *slurp(const char *dir, const char *alg, const char *file, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, alg, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define CHECK(call)                                                                   \
    do {                                                                              \
        ht_result rc_ = (call);                                                       \
        if (rc_ != HT_OK) {                                                           \
            fprintf(stderr, "%s failed: %s\n", #call, ht_result_message(rc_));        \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

static const ht_store *g_store;
static const ht_policy *g_policy;
static const ht_identity_rule *g_rule;
static const uint8_t *g_certs[2];
static size_t g_lens[2];

static void one_call(void) {
    ht_verified *ok = NULL;
    ht_diagnosis *why = NULL;
    ht_result rc = ht_verify(g_store, g_policy, g_rule, g_certs, g_lens, 2, &ok, &why);
    if (rc != HT_OK) {
        fprintf(stderr, "ht_verify: %s\n", ht_result_message(rc));
        if (why) fprintf(stderr, "%s\n", ht_diagnosis_text(why, NULL));
        exit(1);
    }
    ht_verified_free(ok);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s DATA_DIR ALG [ROUNDS [BATCH]]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1], *alg = argv[2];
    int rounds = argc > 3 ? atoi(argv[3]) : 21;
    int batch = argc > 4 ? atoi(argv[4]) : 200;
    if (rounds < 1 || batch < 1) return 2;
    const uint64_t at = 1780272000; /* 2026-06-01T00:00:00Z */

    size_t root_len, leaf_len, inter_len;
    unsigned char *root = slurp(dir, alg, "root.pem", &root_len);
    unsigned char *leaf = slurp(dir, alg, "leaf.der", &leaf_len);
    unsigned char *inter = slurp(dir, alg, "inter.der", &inter_len);

    ht_store_builder *b = NULL;
    ht_store *store = NULL;
    CHECK(ht_store_builder_new(&b));
    CHECK(ht_store_builder_set_time(b, at));
    CHECK(ht_store_builder_add_pem(b, (const uint8_t *)"root", 4, root, root_len));
    CHECK(ht_store_builder_build(b, &store));
    ht_store_builder_free(b);
    ht_policy *policy = NULL;
    CHECK(ht_policy_new(HT_USAGE_SERVER_AUTH, &policy));
    CHECK(ht_policy_set_time(policy, at));
    ht_identity_rule *rule = NULL;
    const char *name = "callservice.webex.com";
    CHECK(ht_identity_rule_new(HT_RULE_SAN, (const uint8_t *)name, strlen(name), &rule));

    g_store = store;
    g_policy = policy;
    g_rule = rule;
    g_certs[0] = leaf;
    g_certs[1] = inter;
    g_lens[0] = leaf_len;
    g_lens[1] = inter_len;

    for (int i = 0; i < (batch < 200 ? batch : 200); i++) one_call();
    double *samples = malloc(sizeof(double) * (size_t)rounds);
    if (!samples) return 1;
    for (int r = 0; r < rounds; r++) {
        double t = now_ns();
        for (int i = 0; i < batch; i++) one_call();
        samples[r] = (now_ns() - t) / batch;
    }
    qsort(samples, (size_t)rounds, sizeof(double), cmp);
    double median = rounds % 2 ? samples[rounds / 2]
                               : (samples[rounds / 2 - 1] + samples[rounds / 2]) / 2;
    printf("{\"what\":\"c-verify\",\"alg\":\"%s\",\"median_ns\":%.1f,\"min_ns\":%.1f,"
           "\"max_ns\":%.1f,\"rounds\":%d,\"batch\":%d}\n",
           alg, median, samples[0], samples[rounds - 1], rounds, batch);

    free(samples);
    ht_identity_rule_free(rule);
    ht_policy_free(policy);
    ht_store_free(store);
    free(root);
    free(leaf);
    free(inter);
    return 0;
}
