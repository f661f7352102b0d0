import CCbc
import Foundation

/// The grading program solved exactly by COIN-OR CBC (METHODS.md §4 step 5): the weak-order
/// triple constraints are added as CBC's solutions violate them, and CBC solves again until
/// none is violated (``Grading`` says why the result is then optimal).
extension Program {
    struct Exact { var above: [Bool]; var value: Double; var bound: Double; var proven: Bool; var rounds: Int; var cuts: Int }

    /// CBC's solver keeps process-wide state (its parameter tables): one solve at a time.
    static let solverLock = NSLock()

    func branchAndCut(start: [Bool], timeLimit: Double) -> Exact? {
        Self.solverLock.lock()
        defer { Self.solverLock.unlock() }
        let n = count
        func index(_ f: Int, _ g: Int) -> Int { f * n + g }
        // Columns: D_fg for f ≠ g, numbered densely.
        var column = [Int](repeating: -1, count: n * n)
        var pairs: [(Int, Int)] = []
        for f in 0..<n { for g in 0..<n where f != g { column[index(f, g)] = pairs.count; pairs.append((f, g)) } }
        var triples: [(Int, Int, Int, Bool)] = []   // (f, g, h, negative): the constraint on f,g,h
        var seen = Set<Int>()
        let deadline = Date().addingTimeInterval(timeLimit)
        var rounds = 0
        while true {
            rounds += 1
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            guard let model = Cbc_newModel() else { return nil }
            defer { Cbc_deleteModel(model) }
            Cbc_setLogLevel(model, 0)
            // Wall-clock seconds: CBC's default counts the process's CPU time, which in a
            // busy multi-threaded process runs out long before the time limit has passed.
            Cbc_setParameter(model, "timeMode", "elapsed")
            Cbc_setMaximumSeconds(model, remaining)
            Cbc_setAllowableGap(model, 1e-10)
            Cbc_setAllowableFractionGap(model, 0)
            for (f, g) in pairs { Cbc_addCol(model, "d", 0, 1, cost[index(f, g)], 1, 0, nil, nil) }
            for f in 0..<n { for g in (f + 1)..<n {
                let cols: [Int32] = [Int32(column[index(f, g)]), Int32(column[index(g, f)])]
                Cbc_addRow(model, "a", 2, cols, [1, 1], 76 /* L */, 1)
            } }
            for (f, g, h, negative) in triples {
                let cols: [Int32] = [Int32(column[index(f, h)]), Int32(column[index(f, g)]), Int32(column[index(g, h)])]
                if negative {
                    Cbc_addRow(model, "n", 3, cols, [1, -1, -1], 76, 0)        // D_fh − D_fg − D_gh ≤ 0
                } else {
                    Cbc_addRow(model, "t", 3, cols, [-1, 1, 1], 76, 1)         // D_fg + D_gh − D_fh ≤ 1
                }
            }
            if let budget {
                var cols: [Int32] = [], coefficients: [Double] = []
                for (k, (f, g)) in pairs.enumerated() { cols.append(Int32(k)); coefficients.append(2 * pi[index(g, f)]) }
                Cbc_addRow(model, "dr", Int32(cols.count), cols, coefficients, 76, budget)
            }
            // The DP's grades are a weak order: a feasible start when they meet the DR bound.
            if feasible(start) {
                let idx = (0..<pairs.count).map { Int32($0) }
                let values = pairs.map { start[index($0.0, $0.1)] ? 1.0 : 0.0 }
                Cbc_setMIPStartI(model, Int32(idx.count), idx, values)
            }
            Cbc_solve(model)
            guard let solution = Cbc_getColSolution(model), Cbc_isProvenInfeasible(model) == 0 else { return nil }
            var above = [Bool](repeating: false, count: n * n)
            for (k, (f, g)) in pairs.enumerated() { above[index(f, g)] = solution[k] > 0.5 }
            let proven = Cbc_isProvenOptimal(model) != 0
            let bound = Cbc_getBestPossibleObjValue(model)
            // Violated triples: each adds the six orderings of its three organizations, both
            // families (twelve rows), so that one round settles the whole triple.
            var added = 0
            for f in 0..<n { for g in 0..<n where g != f { for h in 0..<n where h != f && h != g {
                let fg = above[index(f, g)], gh = above[index(g, h)], fh = above[index(f, h)]
                guard fh && !fg && !gh || fg && gh && !fh else { continue }
                let members = [f, g, h].sorted()
                guard seen.insert((members[0] * n + members[1]) * n + members[2]).inserted else { continue }
                for (a, b, c) in [(f, g, h), (f, h, g), (g, f, h), (g, h, f), (h, f, g), (h, g, f)] {
                    triples.append((a, b, c, true)); triples.append((a, b, c, false))
                }
                added += 12
            } } }
            if added == 0 {
                return Exact(above: above, value: value(above), bound: proven ? value(above) : bound, proven: proven, rounds: rounds, cuts: triples.count)
            }
            if !proven { return nil }
        }
    }
}

extension Grading {
    /// The CBC library's version, as the grades' method states it.
    static var cbcVersion: String { String(cString: Cbc_getVersion()) }
}
