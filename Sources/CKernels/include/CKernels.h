// Barometre's vector kernels in C, for the instructions Swift cannot ask for per function.
// Swift compiles for the baseline x86-64 (SSE2: two doubles per instruction); the report
// card's likelihood (Stats, Deconvolution+Likelihood.swift) reads a 4 MB matrix thousands of
// times, and four doubles per instruction (AVX2) make that pass 1.75 times faster. These
// kernels do, lane by lane, the very operations the Swift code does (multiplications and
// additions in the same order, never fused): the same results to the last bit. They are only
// called where `barometre_has_avx2()` says the processor has AVX2; elsewhere the Swift code runs.
#ifndef BAROMETRE_CKERNELS_H
#define BAROMETRE_CKERNELS_H

/// 1 when the processor runs AVX2 (asked once), else 0.
int barometre_has_avx2(void);

#if defined(__x86_64__)
/// out[k] = Σ_i g[i]·b_k[i] for the four rows b_k = b + k·n: four lanes (i mod 4) of
/// products added in order, then ((lane 0 + lane 1) + lane 2) + lane 3, then the last
/// n mod 4 products one by one. AVX2 only.
void barometre_dot4_avx2(const double *g, const double *b, long n, double out[4]);

/// r[i] = (((r[i] + s[0]·a_0[i]) + s[1]·a_1[i]) + s[2]·a_2[i]) + s[3]·a_3[i] for the four
/// rows a_k = a + k·n. AVX2 only.
void barometre_accumulate4_avx2(const double *a, long n, const double s[4], double *r);
#endif

#endif
