// CGSL — the only place Barometre touches GNU GSL's C API.
// This bridge has no stable API of its own: Swift code uses the `Stats` module.
#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>
#include <gsl/gsl_bspline.h>
#include <gsl/gsl_multimin.h>

// Swift 6 rejects GSL's mutable extern globals (they are not concurrency-safe
// declarations), so each one Barometre needs is reached through an accessor.

/// The Mersenne Twister generator type (Matsumoto & Nishimura 1998).
static inline const gsl_rng_type *cgsl_rng_type_mt19937(void) { return gsl_rng_mt19937; }

/// Brent–Dekker bracketing root solver.
static inline const gsl_root_fsolver_type *cgsl_root_fsolver_brent(void) { return gsl_root_fsolver_brent; }

/// Broyden–Fletcher–Goldfarb–Shanno minimizer using gradients (the report card's prior).
static inline const gsl_multimin_fdfminimizer_type *cgsl_multimin_fdfminimizer_vector_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }

#endif
