/* Use from several threads: one store, policy, zone and rule shared by all
 * threads (documented thread-safe for reading), plus a store built per thread.
 * Usage: test_threads REPO_ROOT */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "common.h"

#define AT_2026_06_01 1780272000ULL
#define THREADS 8
#define ROUNDS 25

typedef struct {
    const ht_store *store;
    const ht_policy *policy;
    const ht_zone *zone;
    const ht_identity_rule *rule;
    test_chain *full, *leaf_only, *sip;
    int failures;
} shared_state;

static void *worker(void *arg) {
    shared_state *st = arg;
    int failures = 0;
    for (int i = 0; i < ROUNDS; i++) {
        ht_verified *v = NULL;
        ht_diagnosis *d = NULL;
        if (ht_zone_verify_outbound(st->zone, st->store, st->policy, st->full->certs, st->full->lens,
                                    st->full->count, &v, &d) != HT_OK ||
            ht_verified_path_len(v) != 3) {
            failures++;
        }
        ht_verified_free(v);
        if (ht_zone_verify_outbound(st->zone, st->store, st->policy, st->leaf_only->certs,
                                    st->leaf_only->lens, st->leaf_only->count, &v,
                                    &d) != HT_CHAIN_REJECTED ||
            ht_diagnosis_kind_of(d) != HT_DIAGNOSIS_INCOMPLETE_CHAIN) {
            failures++;
        }
        ht_diagnosis_free(d);
        if (ht_verify(st->store, st->policy, st->rule, st->sip->certs, st->sip->lens, st->sip->count, &v,
                      &d) != HT_CHAIN_REJECTED ||
            ht_diagnosis_kind_of(d) != HT_DIAGNOSIS_NAME_MISMATCH) {
            failures++;
        }
        ht_diagnosis_free(d);
        /* Reading the shared store's findings concurrently. */
        for (size_t k = 0; k < ht_store_findings_len(st->store); k++) {
            const ht_finding *f = NULL;
            if (ht_store_finding(st->store, k, &f) != HT_OK || ht_finding_message(f, NULL) == NULL) {
                failures++;
            }
        }
    }
    /* A store of this thread's own. */
    ht_store *own = store_from("examples/data/certs", AT_2026_06_01, 1);
    if (!own || ht_store_len(own) != 2) {
        failures++;
    }
    ht_store_free(own);
    st->failures = failures;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) {
        repo_root = argv[1];
    }
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    ht_policy *policy = NULL;
    ht_zone *zone = NULL;
    ht_identity_rule *rule = NULL;
    CHECK(store != NULL);
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &policy), HT_OK);
    CHECK_RC(ht_policy_set_time(policy, AT_2026_06_01), HT_OK);
    CHECK_RC(ht_zone_webex_hybrid(&zone), HT_OK);
    const char *name = "callservice.webex.com";
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    test_chain full, leaf_only, sip;
    CHECK(load_chain(repo_path("examples/data/chains/callservice-full.pem"), &full) == 0);
    CHECK(load_chain(repo_path("examples/data/chains/callservice-leaf-only.pem"), &leaf_only) == 0);
    CHECK(load_chain(repo_path("examples/data/chains/sip-webex.pem"), &sip) == 0);

    pthread_t threads[THREADS];
    shared_state states[THREADS];
    for (int i = 0; i < THREADS; i++) {
        states[i] = (shared_state){store, policy, zone, rule, &full, &leaf_only, &sip, -1};
        CHECK(pthread_create(&threads[i], NULL, worker, &states[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(states[i].failures == 0);
    }
    free_chain(&full);
    free_chain(&leaf_only);
    free_chain(&sip);
    ht_identity_rule_free(rule);
    ht_zone_free(zone);
    ht_policy_free(policy);
    ht_store_free(store);
    return test_summary("test_threads");
}
