/* Bad input through the C API: NULL for every pointer argument, zero-length
 * and huge buffers, non-UTF-8 paths and labels, unknown enum values, builders
 * used after build, freeing NULL, and out-params left alone on failure.
 * Every case must give its documented code, never a crash (run under ASan,
 * UBSan and valgrind). Usage: test_bad_input REPO_ROOT */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define AT_2026_06_01 1780272000ULL

static const uint8_t *B(const char *s) { return (const uint8_t *)s; }

static void test_null_arguments(void) {
    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    ht_policy *p = NULL;
    ht_zone *z = NULL;
    ht_identity_rule *r = NULL;
    ht_chain *c = NULL;
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    const ht_finding *f = NULL;
    size_t n = 0;

    CHECK_RC(ht_store_builder_new(NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_set_strict(NULL, true), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_set_time(NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_pem(NULL, B("l"), 1, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_der(NULL, B("l"), 1, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_bytes(NULL, B("l"), 1, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_file(NULL, B("/x"), 2), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_dir(NULL, B("/x"), 2), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_device_tool_certs(NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_device_tool_certs_in(NULL, B("/x"), 2), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_profile_cas(NULL, HT_PROFILE_EXPRESSWAY_E), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_require_profile(NULL, HT_PROFILE_EXPRESSWAY_E), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_os_store(NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_last_error(NULL, &f), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_build(NULL, &s), HT_NULL_PARAMETER);

    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_add_pem(b, NULL, 0, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_pem(b, B("l"), 1, NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_der(b, NULL, 0, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_der(b, B("l"), 1, NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_bytes(b, NULL, 0, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_bytes(b, B("l"), 1, NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_file(b, NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_dir(b, NULL, 5), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_add_device_tool_certs_in(b, NULL, 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_last_error(b, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_build(b, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_builder_build(b, &s), HT_OK); /* the NULL out-param did not consume it */

    CHECK(ht_store_len(NULL) == 0 && ht_store_generation(NULL) == 0 && ht_store_findings_len(NULL) == 0);
    CHECK_RC(ht_store_finding(NULL, 0, &f), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_finding(s, 0, NULL), HT_NULL_PARAMETER);
    char *pem = NULL;
    CHECK_RC(ht_store_to_pem(NULL, &pem, &n), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_to_pem(s, NULL, &n), HT_NULL_PARAMETER);
    CHECK_RC(ht_store_to_pem(s, &pem, NULL), HT_NULL_PARAMETER);

    CHECK(ht_finding_kind_of(NULL) == HT_FINDING_UNRECOGNIZED);
    CHECK(ht_finding_severity(NULL) == HT_SEVERITY_ERROR);
    n = 7;
    CHECK(ht_finding_source(NULL, &n) == NULL && n == 0);
    CHECK(ht_finding_subject(NULL, NULL) == NULL && ht_finding_sha256(NULL, NULL) == NULL);
    CHECK(ht_finding_message(NULL, NULL) == NULL && ht_finding_hint(NULL, NULL) == NULL);
    CHECK(ht_finding_text(NULL, NULL) == NULL);
    CHECK_RC(ht_finding_index(NULL, &n), HT_NULL_PARAMETER);
    CHECK_RC(ht_finding_line(NULL, &n), HT_NULL_PARAMETER);

    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_eku_mode(NULL, HT_EKU_STRICT), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_time(NULL, 0), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_crls(NULL, B("x"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_revocation_scope(NULL, HT_REVOCATION_CHAIN), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_allow_unknown_status(NULL, true), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_sha1(NULL, HT_SHA1_WARN), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_max_depth(NULL, 3), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_expiry_warning_days(NULL, 3), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_set_mutual_tls(NULL, true), HT_NULL_PARAMETER);
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &p), HT_OK);
    CHECK_RC(ht_policy_set_crls(p, NULL, 0), HT_NULL_PARAMETER);

    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, NULL, 0, &r), HT_NULL_PARAMETER);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, B("a.example"), 9, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_identity_rule_set_wildcards(NULL, HT_WILDCARD_DISALLOWED), HT_NULL_PARAMETER);
    CHECK_RC(ht_identity_rule_add_alias(NULL, B("a"), 1, B("b"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, B("a.example"), 9, &r), HT_OK);
    CHECK_RC(ht_identity_rule_add_alias(r, NULL, 0, B("b"), 1), HT_NULL_PARAMETER);
    CHECK_RC(ht_identity_rule_add_alias(r, B("a"), 1, NULL, 0), HT_NULL_PARAMETER);

    CHECK_RC(ht_zone_webex_hybrid(NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_from_json(NULL, 0, &z), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_from_json(B("{}"), 2, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_set_wildcards(NULL, HT_WILDCARD_DISALLOWED), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_set_eku_mode(NULL, HT_EKU_STRICT), HT_NULL_PARAMETER);
    CHECK(ht_zone_name(NULL, &n) == NULL && n == 0);
    CHECK(ht_zone_subject_name(NULL, NULL) == NULL);
    CHECK_RC(ht_zone_webex_hybrid(&z), HT_OK);

    CHECK_RC(ht_chain_parse(NULL, 0, &c), HT_NULL_PARAMETER);
    CHECK_RC(ht_chain_parse(B("x"), 1, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_chain_parse_file(NULL, 0, &c), HT_NULL_PARAMETER);
    CHECK_RC(ht_chain_parse_file(B("x.pem"), 5, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_chain_parse_file(B(""), 0, &c), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_chain_parse_file(B("a\0b"), 3, &c), HT_INVALID_ARGUMENT);
    CHECK(ht_chain_len(NULL) == 0);
    const uint8_t *der = NULL;
    CHECK_RC(ht_chain_certificate(NULL, 0, &der, &n), HT_NULL_PARAMETER);

    /* Verification: each pointer in turn. */
    const uint8_t *certs[1] = {B("x")};
    size_t lens[1] = {1};
    const uint8_t *null_cert[1] = {NULL};
    ht_inbound cls = 0;
    CHECK_RC(ht_verify(NULL, p, r, certs, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, NULL, r, certs, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, p, r, NULL, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, p, r, certs, NULL, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, p, r, null_cert, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, p, r, certs, lens, 1, NULL, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_verify(s, p, r, certs, lens, 1, &v, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(NULL, s, p, certs, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, NULL, p, certs, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, s, NULL, certs, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, s, p, NULL, lens, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, s, p, certs, NULL, 1, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, s, p, certs, lens, 1, NULL, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_verify_outbound(z, s, p, certs, lens, 1, &v, NULL), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(NULL, s, p, certs, lens, 1, &cls, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, NULL, p, certs, lens, 1, &cls, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, NULL, certs, lens, 1, &cls, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, p, NULL, lens, 1, &cls, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, p, certs, NULL, 1, &cls, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, p, certs, lens, 1, NULL, &v, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, p, certs, lens, 1, &cls, NULL, &d), HT_NULL_PARAMETER);
    CHECK_RC(ht_zone_classify_inbound(z, s, p, certs, lens, 1, &cls, &v, NULL), HT_NULL_PARAMETER);

    /* Accessors of both outcomes with NULL. */
    ht_role role = 0;
    ht_warning_kind wk = 0;
    CHECK(ht_verified_path_len(NULL) == 0);
    CHECK_RC(ht_verified_path_role(NULL, 0, &role), HT_NULL_PARAMETER);
    CHECK_RC(ht_verified_path_position(NULL, 0, &n), HT_NULL_PARAMETER);
    CHECK(ht_verified_path_subject(NULL, 0, NULL) == NULL && ht_verified_path_sha256(NULL, 0, NULL) == NULL);
    CHECK(ht_verified_anchor_source(NULL, NULL) == NULL && ht_verified_anchor_provenance(NULL, NULL) == NULL);
    CHECK(ht_verified_matched_name(NULL, NULL) == NULL && ht_verified_matched_field(NULL) == HT_MATCHED_NONE);
    CHECK(ht_verified_text(NULL, NULL) == NULL && ht_verified_json(NULL, NULL) == NULL);
    CHECK(ht_verified_store_generation(NULL) == 0 && ht_verified_warnings_len(NULL) == 0);
    CHECK_RC(ht_verified_warning_kind(NULL, 0, &wk), HT_NULL_PARAMETER);
    CHECK(ht_verified_warning_message(NULL, 0, NULL) == NULL);
    CHECK(ht_diagnosis_kind_of(NULL) == HT_DIAGNOSIS_UNRECOGNIZED);
    CHECK_RC(ht_diagnosis_certificate_index(NULL, &n), HT_NULL_PARAMETER);
    CHECK(ht_diagnosis_subject(NULL, NULL) == NULL && ht_diagnosis_sha256(NULL, NULL) == NULL);
    CHECK(ht_diagnosis_message(NULL, NULL) == NULL && ht_diagnosis_hint(NULL, NULL) == NULL);
    CHECK(ht_diagnosis_expected(NULL, NULL) == NULL && ht_diagnosis_found(NULL, NULL) == NULL);
    CHECK(ht_diagnosis_recognised_as(NULL, NULL) == NULL);
    CHECK(ht_diagnosis_text(NULL, NULL) == NULL && ht_diagnosis_json(NULL, NULL) == NULL);

    /* A real diagnosis, with NULL out-params for its numeric accessors. */
    CHECK_RC(ht_verify(s, p, r, certs, lens, 1, &v, &d), HT_CHAIN_REJECTED);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_MALFORMED);
    CHECK_RC(ht_diagnosis_certificate_index(d, NULL), HT_NULL_PARAMETER);
    ht_diagnosis_free(d);

    /* Freeing NULL is HT_OK for every object. */
    CHECK_RC(ht_store_builder_free(NULL), HT_OK);
    CHECK_RC(ht_store_free(NULL), HT_OK);
    CHECK_RC(ht_policy_free(NULL), HT_OK);
    CHECK_RC(ht_identity_rule_free(NULL), HT_OK);
    CHECK_RC(ht_zone_free(NULL), HT_OK);
    CHECK_RC(ht_chain_free(NULL), HT_OK);
    CHECK_RC(ht_verified_free(NULL), HT_OK);
    CHECK_RC(ht_diagnosis_free(NULL), HT_OK);
    CHECK_RC(ht_bytes_free(NULL, 0), HT_OK);
    char one = 'x';
    CHECK_RC(ht_bytes_free(&one, SIZE_MAX), HT_INVALID_ARGUMENT);

    ht_zone_free(z);
    ht_identity_rule_free(r);
    ht_policy_free(p);
    ht_store_free(s);
    ht_store_builder_free(b);
}

static void test_builder_after_build(void) {
    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    const ht_finding *f = NULL;
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_build(b, &s), HT_OK);
    ht_store *again = (ht_store *)0x1;
    CHECK_RC(ht_store_builder_build(b, &again), HT_ALREADY_USED);
    CHECK(again == (ht_store *)0x1);
    CHECK_RC(ht_store_builder_add_pem(b, B("l"), 1, B("x"), 1), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_add_dir(b, B("/tmp"), 4), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_set_strict(b, true), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_set_time(b, 1), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_add_profile_cas(b, HT_PROFILE_DEVICE_CONNECTOR), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_require_profile(b, HT_PROFILE_DEVICE_CONNECTOR), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_add_device_tool_certs(b), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_add_os_store(b), HT_ALREADY_USED);
    CHECK_RC(ht_store_builder_last_error(b, &f), HT_NOT_PRESENT);
    CHECK_RC(ht_store_builder_free(b), HT_OK);
    CHECK_RC(ht_store_free(s), HT_OK);
}

static void test_unknown_enum_values(void) {
    ht_store_builder *b = NULL;
    ht_policy *p = NULL;
    ht_identity_rule *r = NULL;
    ht_zone *z = NULL;
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_add_profile_cas(b, 0), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_store_builder_require_profile(b, 42), HT_INVALID_ARGUMENT);
    ht_store_builder_free(b);
    p = (ht_policy *)0x1;
    CHECK_RC(ht_policy_new(0, &p), HT_INVALID_ARGUMENT);
    CHECK(p == (ht_policy *)0x1);
    CHECK_RC(ht_policy_new(HT_USAGE_CLIENT_AUTH, &p), HT_OK);
    CHECK_RC(ht_policy_set_eku_mode(p, 3), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_policy_set_sha1(p, 0xFFFFFFFFu), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_policy_set_revocation_scope(p, 0), HT_INVALID_ARGUMENT);
    ht_policy_free(p);
    CHECK_RC(ht_identity_rule_new(7, B("a.example"), 9, &r), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, B("a.example"), 9, &r), HT_OK);
    CHECK_RC(ht_identity_rule_set_wildcards(r, 0), HT_INVALID_ARGUMENT);
    ht_identity_rule_free(r);
    CHECK_RC(ht_zone_webex_hybrid(&z), HT_OK);
    CHECK_RC(ht_zone_set_wildcards(z, 9), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_zone_set_eku_mode(z, 9), HT_INVALID_ARGUMENT);
    ht_zone_free(z);
}

static void test_zero_length_and_huge_buffers(void) {
    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    ht_chain *c = (ht_chain *)0x1;
    ht_identity_rule *r = NULL;
    ht_zone *z = NULL;
    ht_policy *p = NULL;
    const uint8_t empty[1] = {0};

    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_add_pem(b, B("empty"), 5, empty, 0), HT_OK);
    CHECK_RC(ht_store_builder_add_der(b, empty, 0, empty, 0), HT_OK);
    CHECK_RC(ht_store_builder_add_file(b, empty, 0), HT_INVALID_ARGUMENT);
    CHECK_RC(ht_store_builder_add_dir(b, B("/tmp\0x"), 6), HT_INVALID_ARGUMENT);
    /* Lengths no object can have are refused before anything is read. */
    CHECK_RC(ht_store_builder_add_pem(b, B("l"), 1, empty, SIZE_MAX), HT_BUFFER_TOO_LARGE);
    CHECK_RC(ht_store_builder_add_pem(b, empty, SIZE_MAX, empty, 1), HT_BUFFER_TOO_LARGE);
    CHECK_RC(ht_store_builder_add_file(b, empty, (size_t)PTRDIFF_MAX + 1), HT_BUFFER_TOO_LARGE);

    /* A real buffer over the 32 MiB source limit: a finding, not a crash. */
    size_t big_len = 33u * 1024u * 1024u;
    uint8_t *big = malloc(big_len);
    CHECK(big != NULL);
    memset(big, 'A', big_len);
    CHECK_RC(ht_store_builder_add_bytes(b, B("big"), 3, big, big_len), HT_OK);
    CHECK_RC(ht_chain_parse(big, big_len, &c), HT_LIMIT_EXCEEDED);
    CHECK(c == (ht_chain *)0x1);

    CHECK_RC(ht_store_builder_build(b, &s), HT_OK);
    int kinds_empty = 0, kinds_too_large = 0, kinds_unparsable = 0;
    for (size_t i = 0; i < ht_store_findings_len(s); i++) {
        const ht_finding *f = NULL;
        ht_store_finding(s, i, &f);
        kinds_empty += ht_finding_kind_of(f) == HT_FINDING_EMPTY;
        kinds_too_large += ht_finding_kind_of(f) == HT_FINDING_TOO_LARGE;
        kinds_unparsable += ht_finding_kind_of(f) == HT_FINDING_UNPARSABLE;
    }
    CHECK(kinds_empty == 1 && kinds_too_large == 1 && kinds_unparsable == 1);
    ht_store_builder_free(b);

    CHECK_RC(ht_chain_parse(empty, 0, &c), HT_PARSE_ERROR);
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, empty, 0, &r), HT_INVALID_NAME);
    CHECK_RC(ht_zone_from_json(empty, 0, &z), HT_INVALID_INPUT);
    CHECK_RC(ht_policy_new(HT_USAGE_SERVER_AUTH, &p), HT_OK);
    CHECK_RC(ht_policy_set_crls(p, empty, 0), HT_PARSE_ERROR);
    /* CRL bytes past max_source_bytes are refused by size, before parsing. */
    CHECK_RC(ht_policy_set_crls(p, big, big_len), HT_LIMIT_EXCEEDED);

    /* Zero-length certificates, and counts no array can have. */
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    const uint8_t *certs[2] = {empty, big};
    size_t lens[2] = {0, big_len};
    CHECK_RC(ht_verify(s, p, NULL, certs, lens, 1, &v, &d), HT_CHAIN_REJECTED);
    CHECK(ht_diagnosis_kind_of(d) == HT_DIAGNOSIS_MALFORMED);
    ht_diagnosis_free(d);
    CHECK_RC(ht_verify(s, p, NULL, certs, lens, 2, &v, &d), HT_CHAIN_REJECTED);
    ht_diagnosis_free(d);
    v = (ht_verified *)0x1;
    d = (ht_diagnosis *)0x1;
    CHECK_RC(ht_verify(s, p, NULL, certs, lens, SIZE_MAX, &v, &d), HT_BUFFER_TOO_LARGE);
    CHECK(v == (ht_verified *)0x1 && d == (ht_diagnosis *)0x1);
    lens[0] = SIZE_MAX;
    CHECK_RC(ht_verify(s, p, NULL, certs, lens, 1, &v, &d), HT_BUFFER_TOO_LARGE);
    free(big);
    ht_policy_free(p);
    ht_store_free(s);
}

static void test_non_utf8(void) {
    char dir[] = "/tmp/ht-c-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    /* A file whose name is not UTF-8, holding the example root. */
    char name[4200];
    snprintf(name, sizeof name, "%s/root-\xff\xfe.pem", dir);
    unsigned char *pem = NULL;
    size_t pem_len = 0;
    CHECK(read_file(repo_path("examples/data/certs/example-hybrid-root.pem"), &pem, &pem_len) == 0);
    FILE *out = fopen(name, "wb");
    CHECK(out != NULL);
    if (out) {
        fwrite(pem, 1, pem_len, out);
        fclose(out);
    }
    free(pem);

    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    ht_store_builder_set_time(b, AT_2026_06_01);
    CHECK_RC(ht_store_builder_add_file(b, (const uint8_t *)name, strlen(name)), HT_OK);
    CHECK_RC(ht_store_builder_add_dir(b, (const uint8_t *)dir, strlen(dir)), HT_OK);
    /* A label must be UTF-8. */
    CHECK_RC(ht_store_builder_add_pem(b, B("\xff"), 1, B("x"), 1), HT_INVALID_UTF8);
    CHECK_RC(ht_store_builder_build(b, &s), HT_OK);
    CHECK(ht_store_len(s) == 1); /* the directory read the same file once */
    ht_store_free(s);
    ht_store_builder_free(b);

    ht_chain *chain = NULL;
    CHECK_RC(ht_chain_parse_file((const uint8_t *)name, strlen(name), &chain), HT_OK);
    CHECK(ht_chain_len(chain) == 1);
    ht_chain_free(chain);

    ht_identity_rule *r = NULL;
    CHECK_RC(ht_identity_rule_new(HT_RULE_SAN, B("\xc3\x28"), 2, &r), HT_INVALID_UTF8);
    ht_zone *z = NULL;
    CHECK_RC(ht_zone_from_json(B("\"\xff\""), 3, &z), HT_INVALID_UTF8);

    unlink(name);
    rmdir(dir);
}

static void test_outcomes_outlive_their_inputs(void) {
    /* A result keeps what it needs: the store, policy, zone and chain may go first. */
    ht_store *s = store_from("examples/data/certs", AT_2026_06_01, 1);
    ht_policy *p = NULL;
    ht_zone *z = NULL;
    ht_policy_new(HT_USAGE_SERVER_AUTH, &p);
    ht_policy_set_time(p, AT_2026_06_01);
    ht_zone_webex_hybrid(&z);
    test_chain tc;
    CHECK(load_chain(repo_path("examples/data/chains/callservice-full.pem"), &tc) == 0);
    ht_verified *v = NULL;
    ht_diagnosis *d = NULL;
    CHECK_RC(ht_zone_verify_outbound(z, s, p, tc.certs, tc.lens, tc.count, &v, &d), HT_OK);
    free_chain(&tc);
    ht_zone_free(z);
    ht_policy_free(p);
    ht_store_free(s);
    CHECK(ht_verified_path_len(v) == 3);
    CHECK(strstr(ht_verified_anchor_source(v, NULL), "example-hybrid-root.pem") != NULL);
    ht_verified_free(v);
}

/* Special files: a FIFO (opening one without a writer would block forever),
 * a character device, a directory given as a file, and a directory holding a
 * FIFO and a dangling symlink. Each is an "unreadable" finding, promptly. */
static void test_special_files(void) {
    char dir[] = "/tmp/ht-special-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char fifo[64], dangling[64];
    snprintf(fifo, sizeof fifo, "%s/fifo.pem", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling.pem", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK(symlink("/nonexistent/ca.pem", dangling) == 0);

    ht_store_builder *b = NULL;
    ht_store *s = NULL;
    CHECK_RC(ht_store_builder_new(&b), HT_OK);
    CHECK_RC(ht_store_builder_add_file(b, B(fifo), strlen(fifo)), HT_OK);
    CHECK_RC(ht_store_builder_add_file(b, B("/dev/zero"), 9), HT_OK);
    CHECK_RC(ht_store_builder_add_file(b, B(dir), strlen(dir)), HT_OK);
    CHECK_RC(ht_store_builder_add_dir(b, B(dir), strlen(dir)), HT_OK);
    CHECK_RC(ht_store_builder_build(b, &s), HT_OK);
    size_t unreadable = 0;
    for (size_t i = 0; i < ht_store_findings_len(s); i++) {
        const ht_finding *f = NULL;
        CHECK_RC(ht_store_finding(s, i, &f), HT_OK);
        unreadable += ht_finding_kind_of(f) == HT_FINDING_UNREADABLE;
    }
    CHECK(ht_store_len(s) == 0 && unreadable == 5);
    ht_store_free(s);
    ht_store_builder_free(b);

    /* The same special files as a chain file: HT_IO_ERROR, promptly, the
     * out-param untouched; a file past the 32 MiB limit is not read. */
    ht_chain *c = (ht_chain *)0x1;
    CHECK_RC(ht_chain_parse_file(B(fifo), strlen(fifo), &c), HT_IO_ERROR);
    CHECK_RC(ht_chain_parse_file(B("/dev/zero"), 9, &c), HT_IO_ERROR);
    CHECK_RC(ht_chain_parse_file(B(dir), strlen(dir), &c), HT_IO_ERROR);
    CHECK_RC(ht_chain_parse_file(B(dangling), strlen(dangling), &c), HT_IO_ERROR);
    char sparse[64];
    snprintf(sparse, sizeof sparse, "%s/sparse.pem", dir);
    FILE *f = fopen(sparse, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(ftruncate(fileno(f), 33 * 1024 * 1024) == 0);
        fclose(f);
    }
    CHECK_RC(ht_chain_parse_file(B(sparse), strlen(sparse), &c), HT_LIMIT_EXCEEDED);
    const char *not_a_chain = repo_path("bindings/c/tests/scenarios.txt");
    CHECK_RC(ht_chain_parse_file(B(not_a_chain), strlen(not_a_chain), &c), HT_PARSE_ERROR);
    CHECK(c == (ht_chain *)0x1);
    unlink(sparse);
    unlink(fifo);
    unlink(dangling);
    rmdir(dir);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        repo_root = argv[1];
    }
    test_null_arguments();
    test_builder_after_build();
    test_unknown_enum_values();
    test_zero_length_and_huge_buffers();
    test_non_utf8();
    test_outcomes_outlive_their_inputs();
    test_special_files();
    return test_summary("test_bad_input");
}
