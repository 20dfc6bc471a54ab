#pragma once
// Shared by the widget tests: one QApplication created on first use (offscreen when no
// platform is set), a real stories260K trace made through the TraceController, and a check
// that a rendered image shows something.
#include <QApplication>
#include <QImage>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <set>

#include "test_paths.h"
#include "controller/trace_controller.h"

inline QApplication& widgetTestApp() {
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance())) return *app;
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 0);
    // The tests' trained models, downloads and manifests go to a scratch data folder, and the
    // user's never reach the tests: a trained post.bin in ~/.local/share changes what a lesson
    // step opens. Tests that need their own folder still set XDG_DATA_HOME themselves.
    // Never destroyed, so the exit handler still finds the name.
    static const std::string* data = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "anatomy-widget-data-XXXXXX").string();
        auto* dir = new std::string(mkdtemp(tmpl.data()) ? tmpl : std::string());
        if (!dir->empty()) std::atexit([] { std::error_code ec; std::filesystem::remove_all(*data, ec); });
        return dir;
    }();
    if (!data->empty()) setenv("XDG_DATA_HOME", data->c_str(), 1);
    static int argc = 1;
    static char name[] = "widget_tests";
    static char* argv[] = {name, nullptr};
    // Never destroyed: a static QApplication torn down at exit runs Qt's post routines after
    // Qt's own globals are gone and crashes (seen as exit code 139 after all tests passed).
    static QApplication* app = new QApplication(argc, argv);
    return *app;
}

// Loads stories260K with its tokenizer into a controller (asynchronous: waitForIdle after).
inline void loadStories(anatomy::widgets::TraceController& c) {
    c.loadModel(QString::fromStdString(modelPath("stories260K.bin")),
                QString::fromStdString(modelPath("tok512.bin")));
}

// A window of the TinyStories excerpt for perplexity requests: the first `length` tokens,
// scored in windows of `context`.
inline anatomy::widgets::PerplexityWindow corpusWindow(int length = 1024, int context = 256) {
    anatomy::widgets::PerplexityWindow w;
    w.textPath = QString::fromStdString(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt"));
    w.length = length;
    w.context = context;
    return w;
}

inline const char* kTestPrompt = "Once upon a time, there was a little girl named Lily. She loved to play.";

// The controller's view input for kTestPrompt on stories260K, traced once and shared.
inline const anatomy::widgets::ViewInput& widgetTestInput() {
    static const anatomy::widgets::ViewInput input = [] {
        widgetTestApp();
        anatomy::widgets::TraceController c;
        c.setPrompt(QString::fromUtf8(kTestPrompt));
        loadStories(c);
        c.waitForIdle(120000);
        return c.currentInput();
    }();
    return input;
}

// Number of distinct colours (capped): 1 means a blank, uniformly filled image.
inline int distinctColors(const QImage& img, int cap = 64) {
    std::set<QRgb> seen;
    for (int y = 0; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2) {
            seen.insert(img.pixel(x, y));
            if (static_cast<int>(seen.size()) >= cap) return cap;
        }
    return static_cast<int>(seen.size());
}
