import Foundation

/// Brent's minimization of a function of one variable on a closed interval, golden-section
/// steps with parabolic interpolation (Brent 1973, "Algorithms for minimization without
/// derivatives", ch. 5; the `fmin` of Forsythe, Malcolm & Moler 1977, which SciPy's bounded
/// `minimize_scalar` also implements). Stops when the bracket is within
/// `2·(√ε·|x| + tol/3)` of the best point.
enum BoundedMinimization {
    static func brent(_ f: (Double) -> Double, in range: ClosedRange<Double>, absoluteTolerance tol: Double, maxEvaluations: Int = 500) -> Double {
        var a = range.lowerBound, b = range.upperBound
        let golden = 0.5 * (3 - 5.0.squareRoot())
        let sqrtEps = Double.ulpOfOne.squareRoot()
        var v = a + golden * (b - a), w = v, x = v
        var fx = f(x), fv = fx, fw = fx
        var d = 0.0, e = 0.0
        var evaluations = 1
        var middle = 0.5 * (a + b)
        var tol1 = sqrtEps * abs(x) + tol / 3, tol2 = 2 * tol1
        while abs(x - middle) > tol2 - 0.5 * (b - a), evaluations < maxEvaluations {
            var useGolden = true
            if abs(e) > tol1 {
                // Parabola through (v, fv), (w, fw), (x, fx).
                useGolden = false
                var r = (x - w) * (fx - fv)
                var q = (x - v) * (fx - fw)
                var p = (x - v) * q - (x - w) * r
                q = 2 * (q - r)
                if q > 0 { p = -p }
                q = abs(q)
                r = e
                e = d
                if abs(p) < abs(0.5 * q * r), p > q * (a - x), p < q * (b - x) {
                    d = p / q
                    let u = x + d
                    if u - a < tol2 || b - u < tol2 { d = middle >= x ? tol1 : -tol1 }
                } else {
                    useGolden = true
                }
            }
            if useGolden {
                e = x >= middle ? a - x : b - x
                d = golden * e
            }
            let u = x + (d >= 0 ? 1 : -1) * max(abs(d), tol1)
            let fu = f(u)
            evaluations += 1
            if fu <= fx {
                if u >= x { a = x } else { b = x }
                v = w; fv = fw
                w = x; fw = fx
                x = u; fx = fu
            } else {
                if u < x { a = u } else { b = u }
                if fu <= fw || w == x {
                    v = w; fv = fw
                    w = u; fw = fu
                } else if fu <= fv || v == x || v == w {
                    v = u; fv = fu
                }
            }
            middle = 0.5 * (a + b)
            tol1 = sqrtEps * abs(x) + tol / 3
            tol2 = 2 * tol1
        }
        return x
    }
}
