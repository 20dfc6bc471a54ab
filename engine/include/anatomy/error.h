#pragma once
// Errors raised inside the engine. Internals throw; the public boundary (CLI, controller)
// catches and shows the message, which always names the field, the expected and the actual value.
#include <stdexcept>
#include <string>

#include "anatomy/printable.h"

namespace anatomy {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file that does not have the shape its header promises. The file name, the field (which may
// come from the file, e.g. a GGUF key) and the actual value are made printable (printable.h).
class FormatError : public Error {
public:
    FormatError(const std::string& file, const std::string& field, const std::string& expected,
                const std::string& actual)
        : Error(printable(file) + ": " + printable(field) + ": expected " + expected + ", got " +
                printable(actual))
        , m_field(field) {}
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

// Raised between layers when a caller's stop token fires. Distinct from failure.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace anatomy
