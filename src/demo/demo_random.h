// The demo's source of randomness: xoshiro256** seeded through splitmix64,
// and the few draws the generator needs. Every draw is defined here in
// integer or correctly rounded IEEE arithmetic (no std:: distributions, whose
// algorithms are unspecified, and no libm), so one seed gives the same
// sequence on every platform and compiler. Not thread-safe: one Rng per
// thread, or Fork() a child for each independent stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

namespace caredesk::demo {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix(seed);
  }

  // A child generator whose stream depends on this one's seed and `stream`
  // but not on how many draws this one has made: parts of the demo draw
  // from their own child so that a change in one leaves the others alone.
  Rng Fork(uint64_t stream) const { return Rng(state_[0] ^ (stream * 0xD1B54A32D192ED03ULL) ^ state_[3]); }

  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. (Lemire's multiply-shift; the bias is below
  // 2^-40 for every n the demo uses.)
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64); }
  // Uniform in [lo, hi], inclusive; lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

  // Mean 0, standard deviation 1, within [-3.46, 3.46]: the Irwin-Hall sum
  // of four uniforms, close enough to a normal for waits and durations.
  double Gaussianish() { return (Unit() + Unit() + Unit() + Unit() - 2.0) * 1.7320508075688772; }

  // A uniformly chosen element of a non-empty array, span or vector.
  template <class Items>
  const auto& Pick(const Items& items) {
    return items[Below(std::size(items))];
  }

  // An index into `weights` drawn in proportion to them; at least one
  // weight must be positive.
  size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
};

}  // namespace caredesk::demo
