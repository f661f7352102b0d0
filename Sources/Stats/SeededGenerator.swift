import CGSL

/// A seeded pseudo-random generator over GSL's Mersenne Twister (`gsl_rng_mt19937`).
///
/// Every random choice in Barometre (assignment, send order, schedule, simulation,
/// bootstrap) comes from one of these, created from a stored seed, so that the same
/// campaign and seed give byte-identical plans, and R (`set.seed` does not use the same
/// stream) is never needed to reproduce them.
///
/// Notes: mt19937 uses the low 32 bits of the seed; GSL maps seed 0 to its default 4357.
/// The generator holds mutable C state and is deliberately not `Sendable`: give each task
/// its own generator, derived from the run's seed.
///
/// ## References
/// Matsumoto M, Nishimura T (1998). Mersenne twister: a 623-dimensionally equidistributed
/// uniform pseudo-random number generator. ACM TOMACS 8:3–30. doi:10.1145/272991.272995
public final class SeededGenerator: RandomNumberGenerator {
    /// The seed this generator started from.
    public let seed: UInt64
    let state: UnsafeMutablePointer<gsl_rng>

    /// - Precondition: GSL can allocate a generator (fails only when memory is exhausted).
    public init(seed: UInt64) {
        GSL.ensureConfigured()
        guard let state = gsl_rng_alloc(cgsl_rng_type_mt19937()) else {
            preconditionFailure("GSL could not allocate a random-number generator (out of memory)")
        }
        gsl_rng_set(state, UInt(truncatingIfNeeded: seed))
        self.seed = seed
        self.state = state
    }

    deinit { gsl_rng_free(state) }

    /// 64 random bits, from two consecutive 32-bit outputs of mt19937.
    public func next() -> UInt64 {
        let high = UInt64(gsl_rng_get(state)) & 0xFFFF_FFFF
        let low = UInt64(gsl_rng_get(state)) & 0xFFFF_FFFF
        return high << 32 | low
    }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`).
    public func uniform() -> Double { gsl_rng_uniform(state) }

    /// A uniform integer in 0..<bound (`gsl_rng_uniform_int`, unbiased).
    /// - Precondition: 0 < bound ≤ 2³².
    public func integer(below bound: Int) -> Int {
        precondition(bound > 0 && UInt64(bound) <= 0x1_0000_0000, "bound must be in 1...2^32")
        return Int(gsl_rng_uniform_int(state, UInt(bound)))
    }

    /// A draw from Bin(n, p) (`gsl_ran_binomial`).
    public func binomial(trials n: Int, probability p: Double) -> Int {
        precondition(n >= 0 && n <= Int(UInt32.max) && p >= 0 && p <= 1, "invalid binomial parameters")
        return Int(gsl_ran_binomial(state, p, UInt32(n)))
    }

    /// A Fisher–Yates shuffle driven by this generator (`gsl_ran_shuffle` semantics).
    public func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }
}

extension SeededGenerator {
    /// A draw from N(0, σ²) (`gsl_ran_gaussian`).
    public func gaussian(standardDeviation sigma: Double) -> Double {
        gsl_ran_gaussian(state, sigma)
    }
}
