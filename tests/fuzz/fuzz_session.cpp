// libFuzzer: the session-file reader (widgets/controller/session_file.cpp, Qt's JSON parser and
// the knob table behind "architecture"). Every input either reads or gives a one-line printable
// error; what reads, written back by writeSessionFile, reads again to the same state.
#include <QString>
#include <cstdlib>

#include "controller/session_file.h"
#include "fuzz_input.h"

namespace {

using anatomy::gui::SessionState;

// A message a terminal can show: one line, no control characters (readSessionFile's promise).
bool printableLine(const QString& s) {
    for (const QChar c : s)
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0)) return false;
    return true;
}

bool same(const SessionState& a, const SessionState& b) {
    return a.modelPath == b.modelPath && a.modelSha256 == b.modelSha256 && a.tokenizerPath == b.tokenizerPath &&
           a.prompt == b.prompt && a.tokens == b.tokens && a.sampler.temperature == b.sampler.temperature &&
           a.sampler.topK == b.sampler.topK && a.sampler.topP == b.sampler.topP && a.sampler.minP == b.sampler.minP &&
           a.sampler.typicalP == b.sampler.typicalP && a.sampler.repetitionPenalty == b.sampler.repetitionPenalty &&
           a.sampler.repetitionWindow == b.sampler.repetitionWindow && a.sampler.seed == b.sampler.seed &&
           a.sampler.order == b.sampler.order && a.threads == b.threads && a.selection == b.selection &&
           a.attentionMode == b.attentionMode && a.architecture == b.architecture &&
           a.perplexityWindow == b.perplexityWindow;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString path = QString::fromStdString(fuzz::writeScratch(data, size, ".anatomy.json"));
    SessionState s;
    const QString err = anatomy::gui::readSessionFile(path, s);
    if (!err.isEmpty()) {
        if (!printableLine(err)) std::abort();
        return 0;
    }
    static const QString again = QString::fromStdString(fuzz::scratchPath(".again.anatomy.json"));
    if (!anatomy::gui::writeSessionFile(again, s).isEmpty()) std::abort();
    SessionState back;
    if (!anatomy::gui::readSessionFile(again, back).isEmpty() || !same(s, back)) std::abort();
    return 0;
}
