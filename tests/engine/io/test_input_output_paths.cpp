// Inputs are regular files read with a bound; outputs are checked before the work starts.
// FIFOs, devices and directories are refused at once (opening a FIFO blocks, /dev/zero never ends).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/output_path.h"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

struct Folder {
    fs::path dir = fs::temp_directory_path() / ("anatomy_paths_" + std::to_string(::getpid()));
    Folder() { fs::create_directories(dir); }
    ~Folder() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string file(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
};

template <class F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const anatomy::Error& e) {
        return e.what();
    }
    FAIL("expected an anatomy::Error");
    return {};
}

}  // namespace

TEST_CASE("readTextFile reads a regular file and refuses directories, FIFOs and devices", "[paths][hardening]") {
    Folder f;
    CHECK(anatomy::readTextFile(f.file("a.txt", "Once upon a time")) == "Once upon a time");
    CHECK(anatomy::readTextFile(f.file("empty.txt", "")).empty());
    CHECK_THAT(errorOf([&] { anatomy::readTextFile(f.dir.string()); }), Contains("is a directory"));
    const std::string fifo = (f.dir / "text.fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(errorOf([&] { anatomy::readTextFile(fifo); }), Contains("is a FIFO"));
    CHECK_THAT(errorOf([&] { anatomy::readTextFile("/dev/zero"); }), Contains("is a character device"));
    CHECK_THAT(errorOf([&] { anatomy::readTextFile((f.dir / "none.txt").string()); }), Contains("cannot open"));
}

TEST_CASE("an output file must be creatable in a writable folder, never a system path", "[paths][hardening]") {
    Folder f;
    CHECK_NOTHROW(anatomy::requireWritableFile((f.dir / "new.npy").string(), "--dump-logits"));
    CHECK_NOTHROW(anatomy::requireWritableFile(f.file("old.npy", "x"), "--dump-logits"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile("/bad/path/x.npy", "--dump-logits"); }),
               Contains("--dump-logits") && Contains("does not exist"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile(f.dir.string(), "--dump-logits"); }),
               Contains("is a directory"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile("", "--dump-logits"); }), Contains("empty path"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile("/etc/passwd", "--out"); }), Contains("system folder /etc"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile("/dev/null", "--out"); }), Contains("system folder /dev"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFile(f.file("a.txt", "x") + "/x.npy", "--out"); }),
               Contains("not a folder"));
}

TEST_CASE("an output folder is created under a writable one, / and system folders are refused", "[paths][hardening]") {
    Folder f;
    CHECK_NOTHROW(anatomy::requireWritableFolder(f.dir.string(), "--out"));
    CHECK_NOTHROW(anatomy::requireWritableFolder((f.dir / "a/b/c").string(), "--out"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder("/", "--out"); }), Contains("root folder"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder("/usr/lib/trace", "--out"); }), Contains("system folder /usr"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder("/proc", "--out"); }), Contains("system folder /proc"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder(f.file("t.npy", "x"), "--out"); }),
               Contains("expected a folder"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder(f.file("u.npy", "x") + "/sub", "--out"); }),
               Contains("not a folder"));
    CHECK_THAT(errorOf([&] { anatomy::requireWritableFolder("", "--out"); }), Contains("empty path"));
}
