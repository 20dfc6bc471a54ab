// The model manifest (samples/models.tsv): every row a person can download says what it is
// (architecture, license, public source); a row without a known sha256 gets one recorded on its
// first download, and later opens verify the file against that record.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>
#include <optional>
#include <set>

#include "anatomy/error.h"
#include "anatomy/model_registry.h"

using namespace anatomy;
namespace fs = std::filesystem;

namespace {

class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_old) setenv(m_name, m_old->c_str(), 1);
        else unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

fs::path freshDir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("anatomy_manifest_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

const char* const kHeader = "name\tfile\ttokenizer\tformat\tsize\tsha256\tlicense\turl\tcontext\tarchitecture\tnote\n";

}  // namespace

TEST_CASE("manifest: every downloadable model names its architecture, license and source", "[manifest]") {
    const auto& models = knownModels();
    REQUIRE(models.size() >= 10);
    std::set<std::string> names, architectures;
    for (const KnownModel& m : models) {
        INFO(m.name);
        CHECK(names.insert(m.name).second);  // names are unique
        CHECK_FALSE(m.license.empty());
        if (m.format != "tokenizer") CHECK_FALSE(m.architecture.empty());
        if (!m.url.empty()) CHECK(m.url.rfind("https://", 0) == 0);
        // A recorded sha256 needs a download; a row with neither is a file the user converts
        // (flan-t5-small): nothing to verify it against, and its note says how to make it.
        if (m.sha256.empty() && m.url.empty()) CHECK(m.note.find("convert") != std::string::npos);
        architectures.insert(m.architecture);
    }
    // The zoo spans the designs the course compares, not only Llama.
    for (const char* a : {"llama", "qwen2", "qwen3", "phi3", "gemma2", "bert"}) CHECK(architectures.count(a) == 1);
    const KnownModel* stories = findKnownModel("stories260K");
    REQUIRE(stories);
    CHECK(stories->sha256.size() == 64);
    CHECK(stories->architecture == "llama");
}

TEST_CASE("manifest: unknown size and sha256 are '-', damaged rows name their line", "[manifest]") {
    const std::string row = "zoo-x\tzoo/x.gguf\t-\tgguf\t-\t-\tMIT\thttps://example.org/x.gguf\t-\tqwen2\ta note\n";
    const std::vector<KnownModel> ok = parseManifest(std::string("# comment\n") + kHeader + row);
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].size == 0);
    CHECK(ok[0].sha256.empty());
    CHECK(ok[0].architecture == "qwen2");
    CHECK(ok[0].note == "a note");
    // Old rows without the architecture column are Llama models.
    const auto old = parseManifest(std::string(kHeader) + "a\ta.bin\t-\tllama2c\t10\t-\tMIT\t-\n");
    REQUIRE(old.size() == 1);
    CHECK(old[0].architecture == "llama");

    CHECK_THROWS_WITH(parseManifest(std::string(kHeader) + "a\tb\tc\n"),
                      Catch::Contains("line 2") && Catch::Contains("8 tab-separated columns"));
    CHECK_THROWS_WITH(parseManifest(std::string(kHeader) + "a\ta.bin\t-\tgguf\t12x\t-\tMIT\t-\n"),
                      Catch::Contains("size") && Catch::Contains("12x"));
    CHECK_THROWS_WITH(parseManifest(std::string(kHeader) + "a\ta.bin\t-\tgguf\t1\tABCD\tMIT\t-\n"),
                      Catch::Contains("sha256") && Catch::Contains("64 lowercase hex"));
    CHECK_THROWS_WITH(parseManifest(std::string(kHeader) + "a\ta.bin\t-\tgguf\t99999999999999999999\t-\tMIT\t-\n"),
                      Catch::Contains("size"));
}

TEST_CASE("manifest: a sha256 recorded on first download is verified on later opens", "[manifest]") {
    const fs::path data = freshDir("data");
    ScopedEnv xdg("XDG_DATA_HOME", data.string());
    CHECK(userDataDir() == (data / "transformer-anatomy").string());

    // A zoo row without a sha256 in the manifest.
    const KnownModel* zoo = nullptr;
    for (const KnownModel& m : knownModels())
        if (m.sha256.empty() && !m.url.empty()) zoo = &m;
    REQUIRE(zoo);
    CHECK(recordedSha256(zoo->file).empty());
    CHECK(expectedSha256(*zoo).empty());

    // The "downloaded" file sits where a download puts it.
    const fs::path file = data / "transformer-anatomy" / "models" / zoo->file;
    fs::create_directories(file.parent_path());
    {
        std::ofstream(file, std::ios::binary) << "downloaded bytes";
    }
    CHECK_NOTHROW(verifyKnownModel(file.string()));  // nothing known yet: nothing to verify

    const std::string sha = sha256File(file.string());
    recordSha256(zoo->file, sha);
    CHECK(recordedSha256(zoo->file) == sha);
    CHECK(expectedSha256(*zoo) == sha);
    CHECK_NOTHROW(verifyKnownModel(file.string()));
    // Recording again replaces the record instead of adding a second line.
    recordSha256(zoo->file, sha);
    std::ifstream rec(data / "transformer-anatomy" / "recorded_sha256.tsv");
    int lines = 0;
    for (std::string l; std::getline(rec, l);) ++lines;
    CHECK(lines == 1);

    // The file changes afterwards: the next open names the record and refuses it.
    {
        std::ofstream(file, std::ios::binary) << "damaged bytes!!!";
    }
    const std::string err = errorOf([&] { verifyKnownModel(file.string()); });
    CHECK_THAT(err, Catch::Contains("sha256") && Catch::Contains("recorded on its first download") &&
                        Catch::Contains(sha) && Catch::Contains(zoo->url));
    CHECK_THROWS_WITH(recordSha256(zoo->file, "short"), Catch::Contains("cannot record"));
    fs::remove_all(data);
}
