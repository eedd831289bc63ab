/* Verification through the C API: the shared scenario table (same verdicts as
 * the core API in tests/parity.rs), the accessors of both outcomes, findings,
 * strict stores, profiles, identity rules, zones and result codes.
 * Usage: test_verify REPO_ROOT */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include "common.h"

#define AT_2026_06_01 1780272000ULL

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The code whose name is `name`, or 0. */
static ht_diagnosis_kind kind_code(const char *name) {
    for (uint32_t k = 1; k < 64; k++) {
        if (strcmp(ht_diagnosis_kind_name(k), name) == 0) {
            return k;
        }
    }
    return HT_DIAGNOSIS_UNRECOGNIZED;
}

static void test_version(void) {
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", HYBRIDTRUST_VERSION_MAJOR, HYBRIDTRUST_VERSION_MINOR,
             HYBRIDTRUST_VERSION_PATCH);
    CHECK(strcmp(ht_version(), want) == 0);
}

static void test_result_codes(void) {
    CHECK(strcmp(ht_result_message(HT_OK), "success") == 0);
    CHECK(strstr(ht_result_message(HT_NULL_PARAMETER), "NULL") != NULL);
    CHECK(strcmp(ht_result_message(424242), "unknown result code") == 0);
    CHECK(ht_result_is_usage_error(HT_ALREADY_USED));
    CHECK(!ht_result_is_usage_error(HT_PARSE_ERROR));
    CHECK(ht_result_is_input_error(HT_STORE_REJECTED));
    CHECK(HT_CHAIN_REJECTED == 3000 && HT_PANIC == 7000 && HT_NULL_PARAMETER == 1000);
    CHECK(strcmp(ht_diagnosis_kind_name(HT_DIAGNOSIS_UNKNOWN_CA), "unknown-ca") == 0);
    CHECK(strcmp(ht_diagnosis_kind_name(9999), "unrecognized") == 0);
    CHECK(strcmp(ht_finding_kind_name(HT_FINDING_DUPLICATE_COMMON_NAME), "duplicate-common-name") == 0);
    CHECK(strcmp(ht_warning_kind_name(HT_WARNING_NO_CLIENT_AUTH_FOR_MUTUAL_TLS),
                 "no-client-auth-for-mutual-tls") == 0);
}

/* Runs one scenario line; returns the verdict name ("trusted", "mapped" or a kind). */
static const char *run_scenario(const char *store_rel, const char *chain_spec, const char *mode,
                                uint64_t at, ht_diagnosis_kind *kind_out) {
    static char verdict[64];
    struct stat st;
    int is_dir = stat(repo_path(store_rel), &st) == 0 && S_ISDIR(st.st_mode);
    ht_store *store = store_from(store_rel, at, is_dir);
    *kind_out = HT_DIAGNOSIS_UNRECOGNIZED;
    if (!store) {
        return "no-store";
    }

    const char *colon = strchr(chain_spec, ':');
    char op[32] = "";
    const char *file = chain_spec;
    if (colon) {
        snprintf(op, sizeof op, "%.*s", (int)(colon - chain_spec), chain_spec);
        file = colon + 1;
    }
    test_chain tc;
    memset(&tc, 0, sizeof tc);
    uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    uint8_t *badsig = NULL;
    if (strcmp(op, "empty") == 0) {
        tc.count = 0;
    } else if (strcmp(op, "garbage") == 0) {
        tc.certs[0] = garbage;
        tc.lens[0] = sizeof garbage;
        tc.count = 1;
    } else if (load_chain(repo_path(file), &tc) != 0) {
        ht_store_free(store);
        return "no-chain";
    } else if (strcmp(op, "many") == 0) {
        for (size_t i = 0; i < 65; i++) {
            tc.certs[i] = tc.certs[0];
            tc.lens[i] = tc.lens[0];
        }
        tc.count = 65;
    } else if (strcmp(op, "badsig") == 0) {
        badsig = malloc(tc.lens[0]);
        memcpy(badsig, tc.certs[0], tc.lens[0]);
        badsig[tc.lens[0] - 1] ^= 0x01;
        tc.certs[0] = badsig;
    } else if (strcmp(op, "second") == 0) {
        tc.certs[0] = tc.certs[1];
        tc.lens[0] = tc.lens[1];
        tc.count = 1;
    }

    ht_zone *zone = NULL;
    ht_policy *policy = NULL;
    ht_zone_webex_hybrid(&zone);
    int client = strcmp(mode, "client") == 0;
    ht_policy_new(client ? HT_USAGE_CLIENT_AUTH : HT_USAGE_SERVER_AUTH, &policy);
    ht_policy_set_time(policy, at);
    if (strcmp(mode, "server-depth2") == 0) {
        ht_policy_set_max_depth(policy, 2);
    }
    if (strncmp(mode, "revocation", 10) == 0) {
        const char *crl_file = strcmp(mode, "revocation") == 0 ? "bindings/c/tests/data/crls.pem"
                               : strcmp(mode, "revocation-older-first") == 0
                                   ? "bindings/c/tests/data/older-first-crls.pem"
                                   : "bindings/c/tests/data/root-crl.pem";
        unsigned char *crls = NULL;
        size_t crls_len = 0;
        CHECK(read_file(repo_path(crl_file), &crls, &crls_len) == 0);
        CHECK_RC(ht_policy_set_crls(policy, crls, crls_len), HT_OK);
        free(crls);
    }

    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    ht_result rc;
    if (strcmp(mode, "outbound") == 0) {
        rc = ht_zone_verify_outbound(zone, store, policy, tc.certs, tc.lens, tc.count, &v, &d);
    } else if (strcmp(mode, "inbound") == 0) {
        ht_inbound cls = 0;
        rc = ht_zone_classify_inbound(zone, store, policy, tc.certs, tc.lens, tc.count, &cls, &v, &d);
        CHECK(rc == HT_OK);
        CHECK((cls == HT_INBOUND_MAPPED) == (v != NULL));
        CHECK((cls == HT_INBOUND_DEFAULT_ZONE) == (d != NULL));
        rc = v ? HT_OK : HT_CHAIN_REJECTED;
    } else {
        rc = ht_verify(store, policy, NULL, tc.certs, tc.lens, tc.count, &v, &d);
    }

    if (rc == HT_OK && v && !d) {
        snprintf(verdict, sizeof verdict, "%s", strcmp(mode, "inbound") == 0 ? "mapped" : "trusted");
    } else if (rc == HT_CHAIN_REJECTED && d && !v) {
        *kind_out = ht_diagnosis_kind_of(d);
        snprintf(verdict, sizeof verdict, "%s", ht_diagnosis_kind_name(*kind_out));
        /* Every diagnosis has a message, a hint, text and JSON naming its kind. */
        size_t len = 0;
        const char *json = ht_diagnosis_json(d, &len);
        char needle[96];
        snprintf(needle, sizeof needle, "\"kind\":\"%s\"", verdict);
        CHECK(json != NULL && strlen(json) == len && strstr(json, needle) != NULL);
        CHECK(ht_diagnosis_message(d, NULL) != NULL && ht_diagnosis_hint(d, NULL) != NULL);
        CHECK(ht_diagnosis_text(d, NULL) != NULL);
    } else {
        snprintf(verdict, sizeof verdict, "rc-%u", (unsigned)rc);
    }
    ht_verified_free(v);
    ht_diagnosis_free(d);
    ht_zone_free(zone);
    ht_policy_free(policy);
    free(badsig);
    free_chain(&tc);
    ht_store_free(store);
    return verdict;
}

static void test_scenarios(void) {
    unsigned char *table = NULL;
    size_t len = 0;
    CHECK(read_file(repo_path("bindings/c/tests/scenarios.txt"), &table, &len) == 0);
    if (!table) {
        return;
    }
    char *text = malloc(len + 1);
    memcpy(text, table, len);
    text[len] = '\0';
    free(table);
    int count = 0;
    /* The kinds the issue requires, and which scenario must give each code. */
    int seen_required = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        char name[64], store[256], chain[256], mode[32], expected[64];
        unsigned long long at = 0;
        if (sscanf(line, "%63s %255s %255s %31s %llu %63s", name, store, chain, mode, &at, expected) != 6) {
            fprintf(stderr, "bad scenario line: %s\n", line);
            test_failed++;
            continue;
        }
        ht_diagnosis_kind kind = 0;
        const char *got = run_scenario(store, chain, mode, at, &kind);
        if (strcmp(got, expected) != 0) {
            fprintf(stderr, "scenario %s: expected %s, got %s\n", name, expected, got);
        }
        CHECK(strcmp(got, expected) == 0);
        if (strcmp(expected, "trusted") != 0 && strcmp(expected, "mapped") != 0) {
            CHECK(kind == kind_code(expected));
        }
        /* The exact numeric codes of the kinds the tests must reach. */
        static const struct {
            const char *name;
            ht_diagnosis_kind code;
        } required[] = {
            {"unknown-ca", HT_DIAGNOSIS_UNKNOWN_CA},
            {"incomplete-chain", HT_DIAGNOSIS_INCOMPLETE_CHAIN},
            {"expired", HT_DIAGNOSIS_EXPIRED},
            {"name-mismatch", HT_DIAGNOSIS_NAME_MISMATCH},
            {"missing-eku", HT_DIAGNOSIS_MISSING_EKU},
            {"empty-chain", HT_DIAGNOSIS_EMPTY_CHAIN},
            {"malformed", HT_DIAGNOSIS_MALFORMED},
            {"too-many-certificates", HT_DIAGNOSIS_TOO_MANY_CERTIFICATES},
        };
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
            if (strcmp(expected, required[i].name) == 0) {
                CHECK(kind == required[i].code);
                seen_required |= 1 << i;
            }
        }
        count++;
    }
    free(text);
    CHECK(count >= 20);
    CHECK(seen_required == 0xff);
}

static void test_verified_accessors(void) {
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    CHECK(store != NULL);
    ht_policy *policy = NULL;
    ht_zone *zone = NULL;
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &policy), HT_OK);
    CHECK_RC(ht_policy_set_time(policy, AT_2026_06_01), HT_OK);
    CHECK_RC(ht_zone_webex_hybrid(&zone), HT_OK);
    CHECK(strcmp(ht_zone_name(zone, NULL), "webex-hybrid") == 0);
    size_t len = 0;
    CHECK(strcmp(ht_zone_subject_name(zone, &len), "callservice.webex.com") == 0 && len == 21);

    test_chain tc;
    CHECK(load_chain(repo_path("examples/data/chains/callservice-full.pem"), &tc) == 0);
    ht_verified *v = NULL;
    ht_diagnosis *d = (ht_diagnosis *)0x1; /* must be overwritten with NULL */
    CHECK_RC(ht_zone_verify_outbound(zone, store, policy, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    CHECK(v != NULL && d == NULL);
    CHECK(ht_verified_path_len(v) == 3);
    ht_role role = 0;
    CHECK_RC(ht_verified_path_role(v, 0, &role), HT_OK);
    CHECK(role == HT_ROLE_LEAF);
    CHECK_RC(ht_verified_path_role(v, 2, &role), HT_OK);
    CHECK(role == HT_ROLE_ANCHOR);
    CHECK_RC(ht_verified_path_role(v, 3, &role), HT_INDEX_OUT_OF_RANGE);
    size_t pos = 99;
    CHECK_RC(ht_verified_path_position(v, 1, &pos), HT_OK);
    CHECK(pos == 1);
    CHECK_RC(ht_verified_path_position(v, 2, &pos), HT_NOT_PRESENT);
    CHECK(strstr(ht_verified_path_subject(v, 0, NULL), "CN=callservice.webex.com") != NULL);
    CHECK(strstr(ht_verified_path_subject(v, 2, NULL), "Example Hybrid Root CA") != NULL);
    CHECK(ht_verified_path_subject(v, 3, &len) == NULL && len == 0);
    CHECK(strlen(ht_verified_path_sha256(v, 0, &len)) == 64 && len == 64);
    CHECK(ends_with(ht_verified_anchor_source(v, NULL), "example-hybrid-root.pem"));
    CHECK(strstr(ht_verified_anchor_provenance(v, NULL), "example-hybrid-root.pem") != NULL);
    CHECK(ht_verified_matched_field(v) == HT_MATCHED_DNS_SAN);
    CHECK(strcmp(ht_verified_matched_name(v, &len), "callservice.webex.com") == 0 && len == 21);
    CHECK(ht_verified_store_generation(v) == ht_store_generation(store));
    CHECK(ht_verified_json(v, NULL)[0] == '{');
    CHECK(strncmp(ht_verified_text(v, NULL), "trusted", 7) == 0);
    for (size_t i = 0; i < ht_verified_warnings_len(v); i++) {
        ht_warning_kind wk = 0;
        CHECK_RC(ht_verified_warning_kind(v, i, &wk), HT_OK);
        CHECK(ht_verified_warning_message(v, i, NULL) != NULL);
    }
    ht_verified_free(v);
    free_chain(&tc);

    /* A serverAuth-only leaf: accepted outbound, with the clientAuth-sunset warning. */
    CHECK(load_chain(repo_path("examples/data/chains/server-auth-only.pem"), &tc) == 0);
    CHECK_RC(ht_zone_verify_outbound(zone, store, policy, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    int warned = 0;
    for (size_t i = 0; i < ht_verified_warnings_len(v); i++) {
        ht_warning_kind wk = 0;
        ht_verified_warning_kind(v, i, &wk);
        warned |= wk == HT_WARNING_NO_CLIENT_AUTH_FOR_MUTUAL_TLS;
    }
    CHECK(warned);
    ht_verified_free(v);
    /* ... and mapped inbound once the zone's EKU mode accepts serverAuth-only. */
    CHECK_RC(ht_zone_set_eku_mode(zone, HT_EKU_ACCEPT_SERVER_AUTH_ONLY), HT_OK);
    ht_inbound cls = 0;
    CHECK_RC(ht_zone_classify_inbound(zone, store, policy, tc.certs, tc.lens, tc.count, &cls, &v, &d), HT_OK);
    CHECK(cls == HT_INBOUND_MAPPED && v != NULL && d == NULL);
    ht_verified_free(v);
    free_chain(&tc);

    /* The diagnosis of a leaf-only chain, field by field. */
    CHECK(load_chain(repo_path("examples/data/chains/callservice-leaf-only.pem"), &tc) == 0);
    v = (ht_verified *)0x1;
    CHECK_RC(ht_zone_verify_outbound(zone, store, policy, tc.certs, tc.lens, tc.count, &v, &d),
             HT_CHAIN_REJECTED);
    CHECK(v == NULL && d != NULL);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_INCOMPLETE_CHAIN);
    size_t index = 99;
    CHECK_RC(ht_diagnosis_certificate_index(d, &index), HT_OK);
    CHECK(index == 0);
    CHECK(strstr(ht_diagnosis_subject(d, NULL), "callservice.webex.com") != NULL);
    CHECK(strlen(ht_diagnosis_sha256(d, NULL)) == 64);
    CHECK(strstr(ht_diagnosis_message(d, NULL), "incomplete chain") != NULL);
    CHECK(strstr(ht_diagnosis_hint(d, NULL), "Example Hybrid Issuing CA") != NULL);
    CHECK(ht_diagnosis_expected(d, NULL) != NULL && ht_diagnosis_found(d, NULL) != NULL);
    CHECK(strcmp(ht_diagnosis_recognised_as(d, NULL), "certificate unknown") == 0);
    ht_diagnosis_free(d);
    free_chain(&tc);

    /* Empty chain: no certificate is named. */
    const uint8_t *none[1] = {NULL};
    size_t no_lens[1] = {0};
    CHECK_RC(ht_verify(store, policy, NULL, none, no_lens, 0, &v, &d), HT_CHAIN_REJECTED);
    CHECK_RC(ht_diagnosis_certificate_index(d, &index), HT_NOT_PRESENT);
    CHECK(ht_diagnosis_subject(d, &len) == NULL && len == 0);
    ht_diagnosis_free(d);

    ht_zone_free(zone);
    ht_policy_free(policy);
    ht_store_free(store);
}

static void test_identity_rules(void) {
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    ht_policy *policy = NULL;
    ht_policy_new(HT_USAGE_SERVER_AUTH, &policy);
    ht_policy_set_time(policy, AT_2026_06_01);
    test_chain tc;
    CHECK(load_chain(repo_path("examples/data/chains/cn-only.pem"), &tc) == 0);
    const char *name = "callservice.webex.com";
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;

    /* san_then_cn: the CN is ignored because the certificate has DNS SANs. */
    ht_identity_rule *rule = NULL;
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN_THEN_CN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_CHAIN_REJECTED);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_NAME_MISMATCH);
    ht_diagnosis_free(d);
    ht_identity_rule_free(rule);

    /* cn_or_san (Expressway inbound mapping): the CN matches. */
    CHECK_RC(ht_identity_rule_new(HT_RULE_CN_OR_SAN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    CHECK(ht_verified_matched_field(v) == HT_MATCHED_COMMON_NAME);
    ht_verified_free(v);
    ht_identity_rule_free(rule);
    free_chain(&tc);

    /* A typo is reported as a near miss; wildcards and aliases are settings. */
    CHECK(load_chain(repo_path("examples/data/chains/callservice-full.pem"), &tc) == 0);
    const char *typo = "calllservice.webex.com";
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, (const uint8_t *)typo, strlen(typo), &rule), HT_OK);
    CHECK_RC(ht_identity_rule_set_wildcards(rule, HT_WILDCARD_DISALLOWED), HT_OK);
    CHECK_RC(ht_identity_rule_add_alias(rule, (const uint8_t *)"sip.webex.com", 13, (const uint8_t *)"note", 4),
             HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_CHAIN_REJECTED);
    CHECK(strstr(ht_diagnosis_json(d, NULL), "\"near_miss\":true") != NULL);
    ht_diagnosis_free(d);
    ht_identity_rule_free(rule);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, (const uint8_t *)"*.webex.com", 11, &rule), HT_INVALID_NAME);
    free_chain(&tc);
    ht_policy_free(policy);
    ht_store_free(store);
}

static void test_zone_from_json(void) {
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    ht_policy *policy = NULL;
    ht_policy_new(HT_USAGE_SERVER_AUTH, &policy);
    ht_policy_set_time(policy, AT_2026_06_01);
    const char *json = "{\"name\": \"exchange\", \"subject_name\": \"exchange.example.com\", "
                       "\"wildcards\": \"leftmost-label\", \"mutual_tls\": false}";
    ht_zone *zone = NULL;
    CHECK_RC(ht_zone_from_json((const uint8_t *)json, strlen(json), &zone), HT_OK);
    CHECK(strcmp(ht_zone_name(zone, NULL), "exchange") == 0);
    CHECK_RC(ht_zone_set_wildcards(zone, HT_WILDCARD_DISALLOWED), HT_OK);
    test_chain tc;
    CHECK(load_chain(repo_path("examples/data/chains/exchange.pem"), &tc) == 0);
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    CHECK_RC(ht_zone_verify_outbound(zone, store, policy, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    ht_verified_free(v);
    free_chain(&tc);
    ht_zone_free(zone);
    ht_zone *bad = (ht_zone *)0x1;
    CHECK_RC(ht_zone_from_json((const uint8_t *)"{}", 2, &bad), HT_INVALID_INPUT);
    CHECK(bad == (ht_zone *)0x1); /* not written on failure */
    const char *bad_name = "{\"name\": \"x\", \"subject_name\": \"not a name\"}";
    CHECK_RC(ht_zone_from_json((const uint8_t *)bad_name, strlen(bad_name), &bad), HT_INVALID_NAME);
    ht_policy_free(policy);
    ht_store_free(store);
}

static void test_findings_and_builders(void) {
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    CHECK(ht_store_len(store) == 2);
    int expired = 0, unparsable = 0;
    for (size_t i = 0; i < ht_store_findings_len(store); i++) {
        const ht_finding *f = NULL;
        CHECK_RC(ht_store_finding(store, i, &f), HT_OK);
        size_t len = 0;
        const char *source = ht_finding_source(f, &len);
        CHECK(source != NULL && strlen(source) == len);
        CHECK(ht_finding_message(f, NULL) != NULL && ht_finding_text(f, NULL) != NULL);
        if (ht_finding_kind_of(f) == HT_FINDING_EXPIRED) {
            expired++;
            CHECK(ht_finding_severity(f) == HT_SEVERITY_ERROR);
            CHECK(ends_with(source, "retired-ca.pem"));
            CHECK(strstr(ht_finding_subject(f, NULL), "Example Retired CA") != NULL);
            CHECK(strlen(ht_finding_sha256(f, NULL)) == 64);
            CHECK(ht_finding_hint(f, NULL) != NULL);
            size_t line = 0, index = 9;
            CHECK_RC(ht_finding_line(f, &line), HT_OK);
            CHECK(line == 1);
            CHECK_RC(ht_finding_index(f, &index), HT_OK);
            CHECK(index == 0);
        }
        if (ht_finding_kind_of(f) == HT_FINDING_UNPARSABLE) {
            unparsable++;
            CHECK(ends_with(source, "notes.txt"));
        }
    }
    CHECK(expired == 1 && unparsable == 1);
    const ht_finding *f = NULL;
    CHECK_RC(ht_store_finding(store, 1000, &f), HT_INDEX_OUT_OF_RANGE);

    char *pem = NULL;
    size_t pem_len = 0;
    CHECK_RC(ht_store_to_pem(store, &pem, &pem_len), HT_OK);
    CHECK(pem != NULL && strlen(pem) == pem_len && strncmp(pem, "-----BEGIN CERTIFICATE-----", 27) == 0);
    CHECK_RC(ht_bytes_free(pem, pem_len), HT_OK);
    ht_store_free(store);

    /* Strict: the expired CA stops assembly; the finding says which. */
    ht_store_builder *b = NULL;
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_set_strict(b, true), HT_OK);
    CHECK_RC(ht_store_builder_set_time(b, AT_2026_06_01), HT_OK);
    const char *retired = repo_path("examples/data/certs/retired-ca.pem");
    CHECK_RC(ht_store_builder_last_error(b, &f), HT_NOT_PRESENT);
    CHECK_RC(ht_store_builder_add_file(b, (const uint8_t *)retired, strlen(retired)), HT_STORE_REJECTED);
    CHECK_RC(ht_store_builder_last_error(b, &f), HT_OK);
    CHECK(ht_finding_kind_of(f) == HT_FINDING_EXPIRED);
    ht_store_builder_free(b);

    /* DER and PEM bytes, a profile's embedded CAs and its requirements. */
    unsigned char *der = NULL;
    size_t der_len = 0;
    CHECK(read_file(repo_path("examples/data/certs/partner-root.der"), &der, &der_len) == 0);
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    ht_store_builder_set_time(b, AT_2026_06_01);
    CHECK_RC(ht_store_builder_add_der(b, (const uint8_t *)"partner", 7, der, der_len), HT_OK);
    CHECK_RC(ht_store_builder_add_bytes(b, (const uint8_t *)"partner-again", 13, der, der_len), HT_OK);
    CHECK_RC(ht_store_builder_add_profile_cas(b, HT_PROFILE_EXPRESSWAY_E), HT_OK);
    CHECK_RC(ht_store_builder_require_profile(b, HT_PROFILE_EXPRESSWAY_E), HT_OK);
    CHECK_RC(ht_store_builder_build(b, &store), HT_OK);
    CHECK(ht_store_len(store) >= 2);
    int duplicate = 0;
    for (size_t i = 0; i < ht_store_findings_len(store); i++) {
        ht_store_finding(store, i, &f);
        duplicate += ht_finding_kind_of(f) == HT_FINDING_DUPLICATE_CERTIFICATE;
        CHECK(ht_finding_kind_of(f) != HT_FINDING_MISSING_REQUIRED_CA);
    }
    CHECK(duplicate == 1);
    ht_store_free(store);
    ht_store_builder_free(b);
    free(der);

    /* A missing required CA is an error finding; strict, it stops the build. */
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    ht_store_builder_set_strict(b, true);
    CHECK_RC(ht_store_builder_require_profile(b, HT_PROFILE_DEVICE_CONNECTOR), HT_OK);
    store = (ht_store *)0x1;
    CHECK_RC(ht_store_builder_build(b, &store), HT_STORE_REJECTED);
    CHECK(store == (ht_store *)0x1);
    CHECK_RC(ht_store_builder_last_error(b, &f), HT_OK);
    CHECK(ht_finding_kind_of(f) == HT_FINDING_MISSING_REQUIRED_CA);
    ht_store_builder_free(b);

    /* The device-tool folder at an explicit path; absent is informational. */
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    const char *absent = "/nonexistent/.devicestool/certs";
    CHECK_RC(ht_store_builder_add_device_tool_certs_in(b, (const uint8_t *)absent, strlen(absent)), HT_OK);
    CHECK_RC(ht_store_builder_add_device_tool_certs(b), HT_OK);
    /* The default build has no OS store support; the code says so. */
    CHECK_RC(ht_store_builder_add_os_store(b), HT_FEATURE_DISABLED);
    CHECK_RC(ht_store_builder_build(b, &store), HT_OK);
    ht_store_finding(store, 0, &f);
    CHECK(ht_finding_kind_of(f) == HT_FINDING_FOLDER_ABSENT && ht_finding_severity(f) == HT_SEVERITY_INFO);
    ht_store_free(store);
    ht_store_builder_free(b);

    /* OpenSSL trust settings: restricted (kept) and distrusted (not added). */
    const char *files[] = {"bindings/c/tests/data/root-reject-server.pem", "bindings/c/tests/data/root-distrusted.pem"};
    const ht_finding_kind expect[] = {HT_FINDING_TRUST_RESTRICTED, HT_FINDING_DISTRUSTED_ENTRY};
    const char *names[] = {"trust-restricted", "distrusted-entry"};
    for (size_t i = 0; i < 2; i++) {
        CHECK_RC(ht_store_builder_new(&b), HT_OK);
        ht_store_builder_set_time(b, AT_2026_06_01);
        const char *path = repo_path(files[i]);
        CHECK_RC(ht_store_builder_add_file(b, (const uint8_t *)path, strlen(path)), HT_OK);
        CHECK_RC(ht_store_builder_build(b, &store), HT_OK);
        CHECK(ht_store_len(store) == (i == 0 ? 1u : 0u));
        CHECK(ht_store_findings_len(store) == 1);
        ht_store_finding(store, 0, &f);
        CHECK(ht_finding_kind_of(f) == expect[i] && ht_finding_severity(f) == HT_SEVERITY_WARNING);
        CHECK(strcmp(ht_finding_kind_name(expect[i]), names[i]) == 0);
        /* Never widened on export: the restricted root is not in the plain bundle. */
        char *bundle = NULL;
        size_t bundle_len = 0;
        CHECK_RC(ht_store_to_pem(store, &bundle, &bundle_len), HT_OK);
        CHECK(bundle_len == 0);
        ht_bytes_free(bundle, bundle_len);
        ht_store_free(store);
        ht_store_builder_free(b);
    }
}

static void test_policy_settings(void) {
    ht_policy *p = NULL;
    CHECK_RC(ht_policy_new(HT_USAGE_CLIENT_AUTH, &p), HT_OK);
    CHECK_RC(ht_policy_set_eku_mode(p, HT_EKU_ACCEPT_SERVER_AUTH_ONLY), HT_OK);
    CHECK_RC(ht_policy_set_sha1(p, HT_SHA1_REJECT), HT_OK);
    CHECK_RC(ht_policy_set_revocation_scope(p, HT_REVOCATION_END_ENTITY), HT_OK);
    CHECK_RC(ht_policy_set_allow_unknown_status(p, true), HT_OK);
    CHECK_RC(ht_policy_set_expiry_warning_days(p, 60), HT_OK);
    CHECK_RC(ht_policy_set_mutual_tls(p, true), HT_OK);
    CHECK_RC(ht_policy_set_max_depth(p, 4), HT_OK);
    CHECK_RC(ht_policy_set_crls(p, (const uint8_t *)"not a crl", 9), HT_PARSE_ERROR);
    const char *pem_no_crl = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
    CHECK_RC(ht_policy_set_crls(p, (const uint8_t *)pem_no_crl, strlen(pem_no_crl)), HT_PARSE_ERROR);
    CHECK_RC(ht_policy_free(p), HT_OK);
}

/* The profile-checks setting: the leaf of tests/data/revoked-chain.pem
 * asserts keyCertSign without basicConstraints cA (a rule of strict
 * verifiers), and its root is a file of ours (a private CA). Without CRLs the
 * chain is otherwise acceptable. */
static void test_profile_checks(void) {
    ht_store *store = store_from("bindings/c/tests/data/root.pem", AT_2026_06_01, 0);
    CHECK(store != NULL);
    test_chain tc;
    CHECK(load_chain(repo_path("bindings/c/tests/data/revoked-chain.pem"), &tc) == 0);
    ht_policy *p = NULL;
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &p), HT_OK);
    CHECK_RC(ht_policy_set_time(p, AT_2026_06_01), HT_OK);
    CHECK_RC(ht_policy_set_profile_checks(p, 0), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_policy_set_profile_checks(p, 4), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_policy_set_profile_checks(NULL, HT_PROFILE_CHECKS_STRICT), HT_NULL_PARAMETER);
    CHECK(strcmp(ht_diagnosis_kind_name(HT_DIAGNOSIS_PROFILE_VIOLATION), "profile-violation") == 0);
    CHECK(strcmp(ht_warning_kind_name(HT_WARNING_PROFILE_VIOLATION_ACCEPTED),
                 "profile-violation-accepted") == 0);
    const uint32_t settings[] = {HT_PROFILE_CHECKS_BY_ANCHOR_ORIGIN, HT_PROFILE_CHECKS_LENIENT,
                                 HT_PROFILE_CHECKS_STRICT};
    for (size_t s = 0; s < 3; s++) {
        /* The first round keeps the default, the others set it. */
        if (s > 0) {
            CHECK_RC(ht_policy_set_profile_checks(p, settings[s]), HT_OK);
        }
        ht_verified *v = NULL;
        ht_diagnosis *d = NULL;
        ht_result rc = ht_verify(store, p, NULL, tc.certs, tc.lens, tc.count, &v, &d);
        if (settings[s] == HT_PROFILE_CHECKS_STRICT) {
            CHECK(rc == HT_CHAIN_REJECTED && v == NULL && d != NULL);
            CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_PROFILE_VIOLATION);
            CHECK(strstr(ht_diagnosis_message(d, NULL), "rfc5280-key-cert-sign-without-ca") != NULL);
            CHECK(strstr(ht_diagnosis_hint(d, NULL), "by-anchor-origin") != NULL);
            size_t index = 99;
            CHECK_RC(ht_diagnosis_certificate_index(d, &index), HT_OK);
            CHECK(index == 0);
            ht_diagnosis_free(d);
        } else {
            CHECK(rc == HT_OK && v != NULL && d == NULL);
            int warned = 0;
            for (size_t i = 0; i < ht_verified_warnings_len(v); i++) {
                ht_warning_kind wk = 0;
                CHECK_RC(ht_verified_warning_kind(v, i, &wk), HT_OK);
                warned |= wk == HT_WARNING_PROFILE_VIOLATION_ACCEPTED &&
                          strstr(ht_verified_warning_message(v, i, NULL),
                                 "rfc5280-key-cert-sign-without-ca") != NULL;
            }
            CHECK(warned);
            ht_verified_free(v);
        }
    }
    /* A zone's own setting replaces the policy's (still strict here). */
    ht_zone *zone = NULL;
    const char *json = "{\"name\": \"c\", \"subject_name\": \"revoked.example.com\", "
                       "\"profile_checks\": \"lenient\"}";
    CHECK_RC(ht_zone_from_json((const uint8_t *)json, strlen(json), &zone), HT_OK);
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    CHECK_RC(ht_zone_verify_outbound(zone, store, p, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    ht_verified_free(v);
    CHECK_RC(ht_zone_set_profile_checks(zone, 9), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_zone_set_profile_checks(NULL, HT_PROFILE_CHECKS_STRICT), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_set_profile_checks(zone, HT_PROFILE_CHECKS_STRICT), HT_OK);
    CHECK_RC(ht_zone_verify_outbound(zone, store, p, tc.certs, tc.lens, tc.count, &v, &d),
             HT_CHAIN_REJECTED);
    CHECK(d != NULL && ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_PROFILE_VIOLATION);
    ht_diagnosis_free(d);
    ht_zone_free(zone);
    free_chain(&tc);
    ht_policy_free(p);
    ht_store_free(store);
}

static void test_verifier_cache(void) {
    ht_store *store = store_from("examples/data/certs", AT_2026_06_01, 1);
    ht_policy *policy = NULL;
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &policy), HT_OK);
    CHECK_RC(ht_policy_set_time(policy, AT_2026_06_01), HT_OK);
    ht_verifier *verifier = NULL;
    CHECK_RC(ht_verifier_new(NULL, policy, 16, &verifier), HT_NULL_PARAMETER);
    CHECK_RC(ht_verifier_new(store, policy, 16, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_verifier_new(store, policy, 16, &verifier), HT_OK);
    /* The verifier holds its own copies. */
    ht_store_free(store);
    ht_policy_free(policy);
    test_chain tc;
    CHECK(load_chain(repo_path("examples/data/chains/callservice-full.pem"), &tc) == 0);
    for (int round = 0; round < 2; round++) {
        ht_verified *v = NULL;
        ht_diagnosis *d = NULL;
        CHECK_RC(ht_verifier_verify(verifier, NULL, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
        CHECK(v != NULL && d == NULL);
        CHECK(ht_verified_from_cache(v) == (round == 1));
        ht_verified_free(v);
    }
    CHECK(ht_verifier_cached_len(verifier) == 1);
    /* A rejection is never cached. */
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    CHECK_RC(ht_verifier_verify(verifier, NULL, tc.certs, tc.lens, 1, &v, &d), HT_CHAIN_REJECTED);
    CHECK(v == NULL && d != NULL);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_INCOMPLETE_CHAIN);
    ht_diagnosis_free(d);
    CHECK(ht_verifier_cached_len(verifier) == 1);
    CHECK(ht_verifier_cached_len(NULL) == 0);
    CHECK(!ht_verified_from_cache(NULL));
    CHECK_RC(ht_verifier_verify(NULL, NULL, tc.certs, tc.lens, tc.count, &v, &d), HT_NULL_PARAMETER);
    free_chain(&tc);
    CHECK_RC(ht_verifier_free(verifier), HT_OK);
    CHECK_RC(ht_verifier_free(NULL), HT_OK);
}

/* True when `text` has no control character but newlines, no DEL and no
 * bidi override (UTF-8 E2 80 AE) or isolate (E2 81 A6..A9). */
static int terminal_safe(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f) {
            return 0;
        }
        if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) {
            return 0;
        }
        if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
            return 0;
        }
    }
    return 1;
}

static int is_ascii(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p >= 0x80) {
            return 0;
        }
    }
    return 1;
}

/* The diagnosis text comes from the core's Display: certificate strings are
 * escaped, a crafted CN forges no line, and the JSON is ASCII. A sip: URI
 * SAN matches under the SAN-then-CN rule (RFC 5922). */
static void test_untrusted_names(void) {
    ht_store *store = store_from("bindings/c/tests/data/names-root.pem", AT_2026_06_01, 0);
    CHECK(store != NULL);
    ht_policy *policy = NULL;
    ht_policy_new(HT_USAGE_SERVER_AUTH, &policy);
    ht_policy_set_time(policy, AT_2026_06_01);
    const char *name = "callservice.webex.com";
    ht_identity_rule *rule = NULL;
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    test_chain tc;

    CHECK(load_chain(repo_path("bindings/c/tests/data/hostile-names.pem"), &tc) == 0);
    CHECK_RC(ht_identity_rule_new(HT_RULE_CN_OR_SAN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_CHAIN_REJECTED);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_NAME_MISMATCH);
    const char *text = ht_diagnosis_text(d, NULL);
    CHECK(terminal_safe(text));
    CHECK(strstr(text, "\n  next step: trust") == NULL);
    CHECK(strstr(text, "\\n  next step: trust everything\\x1b[2J\\r\\u{202e}moc.live") != NULL);
    CHECK(strstr(text, "evil\\x1b[2J.example.com") != NULL);
    CHECK(terminal_safe(ht_diagnosis_subject(d, NULL)));
    CHECK(terminal_safe(ht_diagnosis_message(d, NULL)));
    CHECK(strchr(ht_diagnosis_message(d, NULL), '\n') == NULL);
    CHECK(is_ascii(ht_diagnosis_json(d, NULL)));
    ht_diagnosis_free(d);
    ht_identity_rule_free(rule);
    free_chain(&tc);

    CHECK(load_chain(repo_path("bindings/c/tests/data/sip-uri.pem"), &tc) == 0);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN_THEN_CN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    CHECK(ht_verified_matched_field(v) == HT_MATCHED_URI_SAN);
    CHECK(strcmp(ht_verified_matched_name(v, NULL), "sip:callservice.webex.com") == 0);
    ht_verified_free(v);
    ht_identity_rule_free(rule);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, (const uint8_t *)name, strlen(name), &rule), HT_OK);
    CHECK_RC(ht_verify(store, policy, rule, tc.certs, tc.lens, tc.count, &v, &d), HT_CHAIN_REJECTED);
    ht_diagnosis_free(d);
    ht_identity_rule_free(rule);
    free_chain(&tc);
    ht_policy_free(policy);
    ht_store_free(store);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        repo_root = argv[1];
    }
    test_version();
    test_result_codes();
    test_scenarios();
    test_verified_accessors();
    test_identity_rules();
    test_untrusted_names();
    test_zone_from_json();
    test_findings_and_builders();
    test_policy_settings();
    test_profile_checks();
    test_verifier_cache();
    return test_summary("test_verify");
}
