#pragma once
// A Trace as a folder: one .npy per array plus manifest.json (model config, token ids and
// strings, array names and shapes).
#include <string>

#include "anatomy/trace.h"

namespace anatomy {

// Writes folder/manifest.json and folder/*.npy; creates the folder. Returns the array count.
int writeTraceFolder(const Trace& trace, const std::string& folder, const std::string& modelPath);
// JSON string literal for s (quotes included), escaping control and non-ASCII-safe bytes.
std::string jsonString(const std::string& s);

}  // namespace anatomy
