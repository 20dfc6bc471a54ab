#pragma once
// ALiBi (Press et al., 2022): no rotation of q and k; each head adds a linear distance penalty
//   score(i, j) = q_i·k_j / sqrt(d_k) - m_h |i - j|,   m_h = 2^(-8h/H), h = 1..H
// For H not a power of two, the paper takes the slopes of the nearest lower power of two n and
// adds every other slope of 2n.
#include <vector>

namespace anatomy {

std::vector<float> alibiSlopes(int nHeads);  // [nHeads]

}  // namespace anatomy
