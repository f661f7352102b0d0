#include "CKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Never fuse a multiplication and an addition (an FMA rounds once, Swift rounds twice).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#if defined(__x86_64__)

int barometre_has_avx2(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return known;
}

__attribute__((target("avx2")))
void barometre_dot4_avx2(const double *g, const double *b, long n, double out[4]) {
    const double *b0 = b, *b1 = b + n, *b2 = b + 2 * n, *b3 = b + 3 * n;
    __m256d l0 = _mm256_setzero_pd(), l1 = l0, l2 = l0, l3 = l0;
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d x = _mm256_loadu_pd(g + i);
        l0 = _mm256_add_pd(l0, _mm256_mul_pd(x, _mm256_loadu_pd(b0 + i)));
        l1 = _mm256_add_pd(l1, _mm256_mul_pd(x, _mm256_loadu_pd(b1 + i)));
        l2 = _mm256_add_pd(l2, _mm256_mul_pd(x, _mm256_loadu_pd(b2 + i)));
        l3 = _mm256_add_pd(l3, _mm256_mul_pd(x, _mm256_loadu_pd(b3 + i)));
    }
    double lanes[4][4];
    _mm256_storeu_pd(lanes[0], l0);
    _mm256_storeu_pd(lanes[1], l1);
    _mm256_storeu_pd(lanes[2], l2);
    _mm256_storeu_pd(lanes[3], l3);
    const double *rows[4] = {b0, b1, b2, b3};
    for (int k = 0; k < 4; k++) {
        double sum = ((lanes[k][0] + lanes[k][1]) + lanes[k][2]) + lanes[k][3];
        for (long j = i; j < n; j++) {
            double product = g[j] * rows[k][j];
            sum = sum + product;
        }
        out[k] = sum;
    }
}

__attribute__((target("avx2")))
void barometre_accumulate4_avx2(const double *a, long n, const double s[4], double *r) {
    const double *a0 = a, *a1 = a + n, *a2 = a + 2 * n, *a3 = a + 3 * n;
    __m256d s0 = _mm256_set1_pd(s[0]), s1 = _mm256_set1_pd(s[1]), s2 = _mm256_set1_pd(s[2]), s3 = _mm256_set1_pd(s[3]);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(r + i);
        v = _mm256_add_pd(v, _mm256_mul_pd(s0, _mm256_loadu_pd(a0 + i)));
        v = _mm256_add_pd(v, _mm256_mul_pd(s1, _mm256_loadu_pd(a1 + i)));
        v = _mm256_add_pd(v, _mm256_mul_pd(s2, _mm256_loadu_pd(a2 + i)));
        v = _mm256_add_pd(v, _mm256_mul_pd(s3, _mm256_loadu_pd(a3 + i)));
        _mm256_storeu_pd(r + i, v);
    }
    for (; i < n; i++) {
        double v = r[i];
        double p0 = s[0] * a0[i]; v = v + p0;
        double p1 = s[1] * a1[i]; v = v + p1;
        double p2 = s[2] * a2[i]; v = v + p2;
        double p3 = s[3] * a3[i]; v = v + p3;
        r[i] = v;
    }
}

#else

// Not an x86-64 processor: no AVX2 (the Swift code runs).
int barometre_has_avx2(void) { return 0; }

#endif
