#pragma once
// Text that came from a file or a path, made safe to print: a terminal, a log line or a JSON
// string must never receive raw control bytes (an ANSI escape in a GGUF key cleared the
// terminal) or invalid UTF-8 (a file name made `info` print invalid JSON).
#include <string>
#include <string_view>

namespace anatomy {

// Valid UTF-8 with every C0/C1 control character and DEL written as \xNN (tab and newline too:
// a message stays on one line) and every invalid byte sequence replaced by U+FFFD.
std::string printable(std::string_view s);
// Only the invalid UTF-8 replaced by U+FFFD; control characters kept (for JSON's own escapes).
std::string validUtf8(std::string_view s);

}  // namespace anatomy
