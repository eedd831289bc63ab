// The header from C++: it must compile with -Wall -Wextra -Werror (extern "C"
// guards, C++-compatible enums) and link against libhybridtrust.
// Usage: test_cxx REPO_ROOT
#include <cstdio>
#include <cstring>
#include <string>

#include "hybridtrust.h"

namespace {

int failed = 0;
int passed = 0;

void check(bool ok, const char *what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        std::fprintf(stderr, "test_cxx: failed: %s\n", what);
    }
}

}  // namespace

int main(int argc, char **argv) {
    const std::string root = argc > 1 ? argv[1] : ".";
    const std::string dir = root + "/examples/data/certs";

    ht_store_builder *builder = nullptr;
    check(ht_store_builder_new(&builder) == HT_OK, "builder");
    ht_store_builder_set_time(builder, 1780272000ULL);
    check(ht_store_builder_add_dir(builder, reinterpret_cast<const uint8_t *>(dir.data()), dir.size()) == HT_OK,
          "add_dir");
    ht_store *store = nullptr;
    check(ht_store_builder_build(builder, &store) == HT_OK, "build");
    ht_store_builder_free(builder);
    check(ht_store_len(store) == 2, "two anchors");

    ht_zone *zone = nullptr;
    check(ht_zone_webex_hybrid(&zone) == HT_OK, "zone");
    std::size_t len = 0;
    const char *subject = ht_zone_subject_name(zone, &len);
    check(std::string(subject, len) == "callservice.webex.com", "subject name");

    ht_diagnosis_kind kind = HT_DIAGNOSIS_NAME_MISMATCH;
    check(std::strcmp(ht_diagnosis_kind_name(kind), "name-mismatch") == 0, "kind name");
    check(std::strcmp(ht_version(), "") != 0, "version");

    ht_zone_free(zone);
    ht_store_free(store);
    std::printf("test_cxx: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
