#pragma once
// Output paths checked before the work starts, so a long generation or trace never ends in
// "cannot write". `what` names the option in the message ("--dump-logits", "--out").
#include <string>

namespace anatomy {

// A file to create or replace: a non-empty path whose folder exists and is writable, that is
// not itself a directory, FIFO or device, and does not lie in a system folder (/, /usr, /etc,
// /proc, /dev, ...). Throws Error naming the problem.
void requireWritableFile(const std::string& path, const std::string& what);

// A folder to create (with its parents) or to write into: an existing one must be a writable
// directory; otherwise its nearest existing ancestor must be. Never / or a system folder.
void requireWritableFolder(const std::string& path, const std::string& what);

}  // namespace anatomy
