#pragma once
// Rotary position embedding (RoPE) as the rope view draws it. Pure math, Qt-free.
//
// Layout as llama2.c: a head vector x of size d is split into adjacent pairs (x[2i], x[2i+1]),
// i = 0 .. d/2-1. Pair i turns at the angular frequency
//     theta_i = base^(-2i/d)                (base = ropeTheta, 10000 in Llama 2)
// and at position p it is rotated by the angle p * theta_i:
//     x'[2i]   = x[2i] cos(p theta_i) - x[2i+1] sin(p theta_i)
//     x'[2i+1] = x[2i] sin(p theta_i) + x[2i+1] cos(p theta_i)
// Its wavelength, the number of positions for one full turn, is 2 pi / theta_i.
//
// Because rotations of the same pair commute and preserve the dot product, the attention score of
// a query at position m and a key at position n depends only on the distance d = m - n:
//     rot(q, m) . rot(k, n) = rot(q, d) . k
//       = sum_i (q[2i] k[2i] + q[2i+1] k[2i+1]) cos(d theta_i)
//             + (q[2i] k[2i+1] - q[2i+1] k[2i]) sin(d theta_i)
// This is what the extrapolation curve plots, also for distances the model never saw in training.
#include <span>
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy::widgets::rope {

// theta_i = base^(-2i/headSize) for i = 0 .. headSize/2 - 1, radians per position.
std::vector<double> pairFrequencies(int headSize, double base);

// 2 pi / theta_i: positions per full turn of each pair.
std::vector<double> pairWavelengths(int headSize, double base);

// Angle of pair i at position pos, wrapped to [0, 2 pi).
double pairAngle(int pair, double pos, int headSize, double base);

// v rotated by position pos (pos may be negative: the inverse rotation). v.size() must be even.
std::vector<float> rotate(std::span<const float> v, double pos, double base);

// The inverse of rotate(v, pos): recovers the vector before RoPE.
std::vector<float> unrotate(std::span<const float> v, double pos, double base);

// Plain dot product.
double dot(std::span<const float> a, std::span<const float> b);

// rot(q, d) . k with q and k unrotated vectors: the score at relative distance d (closed form).
double relativeScore(std::span<const float> q, std::span<const float> k, double distance,
                     double base);


// How many pairs have a wavelength longer than contextLength: they never complete a full turn
// inside the trained context, so distances beyond it give them angles never seen in training.
int pairsLongerThan(std::span<const double> wavelengths, double contextLength);

// ---- with given per-pair frequencies (scaled RoPE, see anatomy/rope_scaling.h) ----
// The same formulas with theta_i taken from a list instead of base^(-2i/d): v.size() == 2 theta.size().
std::vector<float> rotateWith(std::span<const float> v, double pos, std::span<const double> theta);
double relativeScoreWith(std::span<const float> q, std::span<const float> k, double distance,
                         std::span<const double> theta);

// ---- the scaling methods side by side ----
// One method's per-pair frequencies at the current factor s and original context L0, exactly as
// the forward pass builds them (anatomy::ropeScaledFrequencies, widened to double).
struct ScalingCurve {
    anatomy::RopeScaling method = anatomy::RopeScaling::None;
    std::vector<double> theta;       // [headSize/2] radians per position
    std::vector<double> wavelength;  // [headSize/2] 2 pi / theta_i
};

// Every method of the rope.scaling knob, in enum order (none, linear, ntk, ...), each
// with p's factor, original context and ramp parameters. dynamicLength: the sequence length at
// which dynamic NTK is evaluated (its frequencies depend on it).
std::vector<ScalingCurve> scalingOverlay(const anatomy::RopeScalingParams& p, int headSize, double base,
                                         int trainedContext, int dynamicLength);

// The engine's frequencies for one method (double).
std::vector<double> scaledFrequencies(const anatomy::RopeScalingParams& p, int headSize, double base,
                                      int trainedContext, int currentLength);

}  // namespace anatomy::widgets::rope
