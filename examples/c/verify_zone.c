/*
 * verify_zone: assemble a trust store from a directory and verify a peer's
 * chain against the Webex hybrid zone (callservice.webex.com, SAN rule), as an
 * Expressway-E does for an outbound SIP TLS connection to the cloud.
 *
 *   verify_zone CERTS_DIR CHAIN_PEM [UNIX_TIME]
 *
 * Prints the store's findings, then the verdict. Exit status: 0 trusted,
 * 1 refused (the diagnosis is printed), 2 usage or input error.
 * Build: make (uses pkg-config to find libhybridtrust).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hybridtrust.h>

static int fail(const char *what, ht_result rc) {
    fprintf(stderr, "verify_zone: %s: %s (%u)\n", what, ht_result_message(rc), (unsigned)rc);
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CERTS_DIR CHAIN_PEM [UNIX_TIME]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    unsigned long long at = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;

    /* 1. The trust store, and every problem met while assembling it. */
    ht_store_builder *builder = NULL;
    ht_store *store = NULL;
    ht_result rc = ht_store_builder_new(&builder);
    if (rc != HT_OK) {
        return fail("builder", rc);
    }
    if (at) {
        ht_store_builder_set_time(builder, at);
    }
    rc = ht_store_builder_add_dir(builder, (const uint8_t *)dir, strlen(dir));
    if (rc == HT_OK) {
        rc = ht_store_builder_build(builder, &store);
    }
    ht_store_builder_free(builder);
    if (rc != HT_OK) {
        return fail("trust store", rc);
    }
    printf("trust store: %zu CA certificate(s)\n", ht_store_len(store));
    for (size_t i = 0; i < ht_store_findings_len(store); i++) {
        const ht_finding *finding = NULL;
        if (ht_store_finding(store, i, &finding) == HT_OK) {
            printf("  %s\n", ht_finding_text(finding, NULL));
        }
    }

    /* 2. The chain the peer presented (PEM, leaf first, or one DER certificate),
     *    read by the library: a regular file of at most 32 MiB. */
    const char *chain_path = argv[2];
    ht_chain *chain = NULL;
    rc = ht_chain_parse_file((const uint8_t *)chain_path, strlen(chain_path), &chain);
    if (rc != HT_OK) {
        ht_store_free(store);
        return fail(chain_path, rc);
    }
    size_t count = ht_chain_len(chain);
    const uint8_t **certs = calloc(count ? count : 1, sizeof *certs);
    size_t *lens = calloc(count ? count : 1, sizeof *lens);
    for (size_t i = 0; certs && lens && i < count; i++) {
        ht_chain_certificate(chain, i, &certs[i], &lens[i]);
    }

    /* 3. Verify against the Webex hybrid zone. */
    ht_zone *zone = NULL;
    ht_policy *policy = NULL;
    ht_zone_webex_hybrid(&zone);
    ht_policy_new(HT_USAGE_SERVER_AUTH, &policy);
    if (at) {
        ht_policy_set_time(policy, at);
    }
    ht_verified *verified = NULL;
    ht_diagnosis *diagnosis = NULL;
    int status;
    rc = ht_zone_verify_outbound(zone, store, policy, certs, lens, count, &verified, &diagnosis);
    if (rc == HT_OK) {
        printf("%s\n", ht_verified_text(verified, NULL));
        status = 0;
    } else if (rc == HT_CHAIN_REJECTED) {
        printf("refused: %s\n%s\n", ht_diagnosis_kind_name(ht_diagnosis_kind_of(diagnosis)),
               ht_diagnosis_text(diagnosis, NULL));
        status = 1;
    } else {
        status = fail("verify", rc);
    }

    ht_verified_free(verified);
    ht_diagnosis_free(diagnosis);
    ht_policy_free(policy);
    ht_zone_free(zone);
    free(certs);
    free(lens);
    ht_chain_free(chain);
    ht_store_free(store);
    return status;
}
