#include "plot/rope_math.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

#include "anatomy/knob_table.h"
#include "anatomy/rope_scaling.h"

namespace anatomy::widgets::rope {

std::vector<double> pairFrequencies(int headSize, double base) {
    std::vector<double> theta(static_cast<size_t>(std::max(headSize / 2, 0)));
    for (size_t i = 0; i < theta.size(); ++i) {
        // theta_i = base^(-2i/d)
        theta[i] = std::pow(base, -2.0 * static_cast<double>(i) / headSize);
    }
    return theta;
}

std::vector<double> pairWavelengths(int headSize, double base) {
    std::vector<double> lambda = pairFrequencies(headSize, base);
    for (double& l : lambda) l = 2.0 * std::numbers::pi / l;  // 2 pi / theta_i
    return lambda;
}

double pairAngle(int pair, double pos, int headSize, double base) {
    const double theta = std::pow(base, -2.0 * pair / headSize);
    const double a = std::fmod(pos * theta, 2.0 * std::numbers::pi);
    return a < 0 ? a + 2.0 * std::numbers::pi : a;
}

std::vector<float> rotate(std::span<const float> v, double pos, double base) {
    assert(v.size() % 2 == 0);
    const int d = static_cast<int>(v.size());
    std::vector<float> out(v.size());
    for (int i = 0; i < d / 2; ++i) {
        const double angle = pos * std::pow(base, -2.0 * i / d);
        const double c = std::cos(angle), s = std::sin(angle);
        const double x0 = v[2 * i], x1 = v[2 * i + 1];
        out[2 * i] = static_cast<float>(x0 * c - x1 * s);
        out[2 * i + 1] = static_cast<float>(x0 * s + x1 * c);
    }
    return out;
}

std::vector<float> unrotate(std::span<const float> v, double pos, double base) {
    return rotate(v, -pos, base);
}

double dot(std::span<const float> a, std::span<const float> b) {
    assert(a.size() == b.size());
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

double relativeScore(std::span<const float> q, std::span<const float> k, double distance,
                     double base) {
    assert(q.size() == k.size() && q.size() % 2 == 0);
    const int d = static_cast<int>(q.size());
    double s = 0;
    for (int i = 0; i < d / 2; ++i) {
        const double angle = distance * std::pow(base, -2.0 * i / d);
        const double q0 = q[2 * i], q1 = q[2 * i + 1], k0 = k[2 * i], k1 = k[2 * i + 1];
        // (q0 k0 + q1 k1) cos + (q0 k1 - q1 k0) sin, see the header.
        s += (q0 * k0 + q1 * k1) * std::cos(angle) + (q0 * k1 - q1 * k0) * std::sin(angle);
    }
    return s;
}

int pairsLongerThan(std::span<const double> wavelengths, double contextLength) {
    int n = 0;
    for (double l : wavelengths) n += l > contextLength ? 1 : 0;
    return n;
}

std::vector<float> rotateWith(std::span<const float> v, double pos, std::span<const double> theta) {
    assert(v.size() == 2 * theta.size());
    std::vector<float> out(v.size());
    for (size_t i = 0; i < theta.size(); ++i) {
        const double angle = pos * theta[i];
        const double c = std::cos(angle), s = std::sin(angle);
        const double x0 = v[2 * i], x1 = v[2 * i + 1];
        out[2 * i] = static_cast<float>(x0 * c - x1 * s);
        out[2 * i + 1] = static_cast<float>(x0 * s + x1 * c);
    }
    return out;
}

double relativeScoreWith(std::span<const float> q, std::span<const float> k, double distance,
                         std::span<const double> theta) {
    assert(q.size() == k.size() && q.size() == 2 * theta.size());
    double s = 0;
    for (size_t i = 0; i < theta.size(); ++i) {
        const double angle = distance * theta[i];
        const double q0 = q[2 * i], q1 = q[2 * i + 1], k0 = k[2 * i], k1 = k[2 * i + 1];
        s += (q0 * k0 + q1 * k1) * std::cos(angle) + (q0 * k1 - q1 * k0) * std::sin(angle);
    }
    return s;
}

std::vector<double> scaledFrequencies(const anatomy::RopeScalingParams& p, int headSize, double base,
                                      int trainedContext, int currentLength) {
    const std::vector<float> f =
        anatomy::ropeScaledFrequencies(p, headSize, static_cast<float>(base), trainedContext, currentLength);
    return {f.begin(), f.end()};
}

std::vector<ScalingCurve> scalingOverlay(const anatomy::RopeScalingParams& p, int headSize, double base,
                                         int trainedContext, int dynamicLength) {
    std::vector<ScalingCurve> out;
    // Every method the rope.scaling knob offers, in enum order.
    const anatomy::Knob* knob = anatomy::findKnob("rope.scaling");
    for (size_t i = 0; knob && i < knob->choices.size(); ++i) {
        const auto m = static_cast<anatomy::RopeScaling>(i);
        anatomy::RopeScalingParams q = p;
        q.method = m;
        ScalingCurve c;
        c.method = m;
        c.theta = scaledFrequencies(q, headSize, base, trainedContext, dynamicLength);
        for (double t : c.theta) c.wavelength.push_back(2.0 * std::numbers::pi / t);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace anatomy::widgets::rope
