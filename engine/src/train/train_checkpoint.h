#pragma once
// Files the trainer writes:
//   the model, as a llama2.c version-1 checkpoint (256-byte "ak42" header: version 1, dim, hidden,
//   layers, heads, kv heads, vocab, context, shared-classifier byte; then the float32 parameters in
//   train_model.h's layout, which is export.py's version-1 order), opened by loadLlama2c;
//   the checkpoint for resume: "ATCK" magic, version 1, steps done, the canonical config (JSON), the
//   parameter count, then parameters, AdamW m and v (float32).
// Both are written to a temporary name and renamed, so an interrupted write leaves the old file.
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/train.h"
#include "train/adamw.h"

namespace anatomy::training {

void writeLlama2cV1(const std::string& path, const TrainShape& s, const std::vector<float>& params);

struct Checkpoint {
    std::string config;  // canonical JSON of the config that wrote it
    int step = 0;        // steps done
    std::vector<float> params;
    AdamWState adam;
};

void writeCheckpoint(const std::string& path, const Checkpoint& c);
// Throws FormatError for a file that is not a checkpoint of this version or is cut short.
Checkpoint readCheckpoint(const std::string& path);

}  // namespace anatomy::training
