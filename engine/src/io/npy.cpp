#include "anatomy/npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

#include "anatomy/error.h"

namespace anatomy {
namespace {

template <class T>
void writeImpl(const std::string& path, const NdArray<T>& a, const char* descr) {
    std::string shape = "(";
    for (size_t i = 0; i < a.shape.size(); ++i) {
        shape += std::to_string(a.shape[i]);
        if (a.shape.size() == 1 || i + 1 < a.shape.size()) shape += ",";
        if (i + 1 < a.shape.size()) shape += " ";
    }
    shape += ")";
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " +
                         shape + ", }";
    // magic(6) + version(2) + header length(2) + header, padded with spaces to 64 bytes, '\n' last.
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header.push_back('\n');
    std::ofstream f(path, std::ios::binary);
    if (!f) throw Error(path + ": cannot write");
    const uint16_t hlen = static_cast<uint16_t>(header.size());
    f.write("\x93NUMPY\x01\x00", 8);
    f.write(reinterpret_cast<const char*>(&hlen), 2);
    f.write(header.data(), std::streamsize(header.size()));
    f.write(reinterpret_cast<const char*>(a.data.data()), std::streamsize(a.data.size() * sizeof(T)));
    if (!f) throw Error(path + ": write failed");
}

}  // namespace

void writeNpy(const std::string& path, const FloatArray& a) { writeImpl(path, a, "<f4"); }
void writeNpy(const std::string& path, const IntArray& a) { writeImpl(path, a, "<i4"); }

FloatArray readNpyFloat(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(path + ": cannot open");
    char magic[8];
    uint16_t hlen = 0;
    if (!f.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw FormatError(path, "magic", "\\x93NUMPY", "something else");
    f.read(reinterpret_cast<char*>(&hlen), 2);
    std::string header(hlen, '\0');
    f.read(header.data(), hlen);
    if (header.find("'<f4'") == std::string::npos)
        throw FormatError(path, "descr", "'<f4'", header);
    FloatArray a;
    auto open = header.find('('), close = header.find(')');
    if (open == std::string::npos || close == std::string::npos)
        throw FormatError(path, "shape", "a tuple", header);
    std::string dims = header.substr(open + 1, close - open - 1);
    size_t p = 0;
    while (p < dims.size()) {
        while (p < dims.size() && (dims[p] == ' ' || dims[p] == ',')) ++p;
        if (p >= dims.size()) break;
        a.shape.push_back(std::stoll(dims.substr(p)));
        while (p < dims.size() && dims[p] != ',') ++p;
    }
    a.data.resize(size_t(FloatArray::count(a.shape)));
    if (!f.read(reinterpret_cast<char*>(a.data.data()), std::streamsize(a.data.size() * 4)))
        throw FormatError(path, "data", std::to_string(a.data.size() * 4) + " bytes", "fewer");
    return a;
}

}  // namespace anatomy
