import Foundation

/// How grades trade ordering gains against mis-ordering risk (METHODS.md §4 step 5).
public enum GradingObjective: Sendable, Equatable, CustomStringConvertible {
    /// Minimize Σ D_fg (π_gf − λ π_fg): f goes above g only when π_fg > 1/(1+λ). λ = 0 gives
    /// one grade, λ = 1 the Condorcet ranking.
    case lambda(Double)
    /// Maximize Σ (π_fg − π_gf) D_fg subject to 2 Σ π_gf D_fg ≤ DR × Σ_{f≠g} π_fg — the pairs
    /// counted as `drrank` counts them: each unordered pair twice on the left (its expected
    /// discordance is summed over both orders of the pair in its loss function) and once on
    /// the right (Σ over ordered pairs of π, which is the number of unordered pairs when no
    /// ties are on the grid). A bound DR therefore allows expected discordances of DR/2 of
    /// the unordered pairs.
    case discordanceRate(Double)

    var isLambda: Bool { if case .lambda = self { return true } else { return false } }

    public var description: String {
        switch self {
        case let .lambda(l): return "λ = \(l)"
        case let .discordanceRate(d): return "DR = \(d)"
        }
    }
}

/// Grades: a weak order of organizations (ties allowed) and what it costs.
public struct Grades: Sendable, Equatable {
    /// Per organization, its grade counted from the top: 1 for the organizations most likely
    /// to discriminate (`drrank`'s numbering, the dense rank of how many it is above).
    public let fromTop: [Int]
    public let count: Int
    public let objective: GradingObjective
    /// Σ D_fg: ordered pairs of organizations placed in different grades.
    public let separatedPairs: Int
    /// Σ π_gf D_fg: the expected number of those pairs in the wrong order, its share of them,
    /// and the largest chance of a wrong order among them.
    public let expectedDiscordances: Double
    public let discordanceShare: Double?
    public let largestDiscordance: Double?
    /// The objective's value (minimized, in METHODS.md §4's units), the best lower bound known,
    /// whether the value is proven optimal, and how it was solved.
    public let value: Double
    public let bound: Double
    public let provenOptimal: Bool
    public let method: String
}

/// The grading integer program, solved exactly by COIN-OR CBC (branch and cut; open source,
/// Debian `coinor-libcbc-dev`) with the weak-order constraints generated as they are violated.
///
/// Variables D_fg ∈ {0, 1} for f ≠ g (f graded above g). Constraints, which make D the strict
/// part of a weak order (the same feasible set as `drrank`'s grade variables with indicator
/// constraints): D_fg + D_gf ≤ 1, and for every triple negative transitivity
/// D_fh ≤ D_fg + D_gh and transitivity D_fg + D_gh − D_fh ≤ 1. The F³ triple constraints
/// are not all written: CBC solves with those found violated so far, the solution is checked
/// against every triple, the violated ones are added and CBC solves again; the first solution
/// that violates none is optimal for the full program (it is optimal for a relaxation of it).
///
/// Beyond `exactLimit` organizations (a size, so that the same data always get the same
/// grades), or when CBC does not prove optimality within `timeLimit` seconds (a safety net),
/// the grades are contiguous groups of the Condorcet order chosen by an exact dynamic
/// program over that order (O(F²)); for DR, λ is bisected so that the DP's grades meet the
/// bound, and a local search over the grades' boundaries improves on them. `bound` is then the
/// pairwise relaxation's bound (each pair ordered the cheaper way, the triples ignored; for DR
/// its Lagrangian dual), so `value − bound` is the gap reported.
public enum Grading {
    public static func grade(_ pi: [Double], count: Int, objective: GradingObjective, order: [Int],
                             exactLimit: Int? = nil, timeLimit: Double = 120) throws(StatisticsError) -> Grades {
        let exactLimit = exactLimit ?? defaultExactLimit(for: objective)
        guard pi.count == count * count, count >= 1 else { throw .invalidArgument("π must be an F × F matrix") }
        switch objective {
        case let .lambda(l) where !(0...1).contains(l): throw .invalidArgument("λ must lie in [0, 1], got \(l)")
        case let .discordanceRate(d) where !(0...1).contains(d): throw .invalidArgument("the discordance rate must lie in [0, 1], got \(d)")
        default: break
        }
        guard order.count == count, Set(order).count == count else { throw .invalidArgument("the order must list each organization once") }
        let program = Program(pi: pi, count: count, objective: objective)
        let start = program.dynamicProgram(order: order)
        if count <= exactLimit, count >= 2, let exact = program.branchAndCut(start: start, timeLimit: timeLimit),
           exact.proven || exact.value <= program.value(start) {
            return program.grades(exact.above, value: exact.value, bound: exact.bound, proven: exact.proven,
                                  method: exact.proven
                                    ? "exact: integer program solved to optimality by COIN-OR CBC \(cbcVersion) (weak-order constraints generated as violated, \(exact.rounds) rounds, \(exact.cuts) triple constraints)"
                                    : "CBC \(cbcVersion) stopped at its \(Int(timeLimit)) s limit: best grades found, gap to CBC's bound stated")
        }
        let bound = program.pairwiseBound()
        return program.grades(start, value: program.value(start), bound: bound, proven: false,
                              method: (objective.isLambda
                                ? "dynamic program over the Condorcet order (contiguous grades; exact within that order)"
                                : "contiguous grades of the Condorcet order: the dynamic program's λ solution within the bound, improved by a local search over the boundaries (not proven optimal)")
                                + (count > exactLimit ? ": \(count) organizations, more than the \(exactLimit) the exact program is run for"
                                                      : ": CBC found nothing better within its \(Int(timeLimit)) s limit"))
    }

    /// Organizations up to which grades are solved exactly by default: about the size CBC
    /// proves optimal within 10 s on this project's machine on the benchmark cases
    /// (bench/README.md): 30 for λ; 15 for a DR bound, whose budget constraint ties every
    /// pair together and makes the program much harder. A size limit, not a time limit, so
    /// that the same data always get the same grades.
    public static let defaultExactLimit = 30
    public static func defaultExactLimit(for objective: GradingObjective) -> Int {
        switch objective {
        case .lambda: return defaultExactLimit
        case .discordanceRate: return 15
        }
    }
}

/// The program's data and its solvers.
struct Program {
    let pi: [Double]
    let count: Int
    let objective: GradingObjective
    /// Objective coefficient of D_fg (minimized), and (DR) discordance weight and budget.
    let cost: [Double]
    let budget: Double?

    init(pi: [Double], count: Int, objective: GradingObjective) {
        self.pi = pi
        self.count = count
        self.objective = objective
        var cost = [Double](repeating: 0, count: count * count)
        for f in 0..<count { for g in 0..<count where f != g {
            switch objective {
            case let .lambda(l): cost[f * count + g] = pi[g * count + f] - l * pi[f * count + g]
            case .discordanceRate: cost[f * count + g] = pi[g * count + f] - pi[f * count + g]
            }
        } }
        self.cost = cost
        if case let .discordanceRate(d) = objective {
            var total = 0.0
            for f in 0..<count { for g in 0..<count where f != g { total += pi[f * count + g] } }
            budget = d * total
        } else {
            budget = nil
        }
    }

    func value(_ above: [Bool]) -> Double {
        var v = 0.0
        for i in 0..<(count * count) where above[i] { v += cost[i] }
        return v
    }

    func discordance(_ above: [Bool]) -> Double {
        var v = 0.0
        for f in 0..<count { for g in 0..<count where above[f * count + g] { v += pi[g * count + f] } }
        return v
    }

    func feasible(_ above: [Bool]) -> Bool {
        guard let budget else { return true }
        return 2 * discordance(above) <= budget + 1e-9
    }

    func grades(_ above: [Bool], value: Double, bound: Double, proven: Bool, method: String) -> Grades {
        var wins = [Int](repeating: 0, count: count)
        var separated = 0, largest: Double?
        for f in 0..<count { for g in 0..<count where above[f * count + g] {
            wins[f] += 1
            separated += 1
            largest = max(largest ?? 0, pi[g * count + f])
        } }
        let distinct = Array(Set(wins)).sorted(by: >)
        let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0 + 1) })
        let expected = discordance(above)
        return Grades(fromTop: wins.map { rank[$0]! }, count: distinct.count, objective: objective,
                      separatedPairs: separated, expectedDiscordances: expected,
                      discordanceShare: separated > 0 ? expected / Double(separated) : nil,
                      largestDiscordance: largest, value: value, bound: min(bound, value), provenOptimal: proven, method: method)
    }

    // MARK: Dynamic program over a fixed order

    /// Grades as contiguous blocks of `order` (first = top): for λ, the blocks maximizing the
    /// within-block sum of costs (equivalently minimizing the separated pairs' cost); for DR,
    /// the λ-solution, bisected on λ, with the best agreement among those within the bound,
    /// then improved by a local search over the boundaries (up to 2,000 organizations).
    func dynamicProgram(order: [Int]) -> [Bool] {
        switch objective {
        case .lambda:
            return blocks(order: order, cost: cost)
        case .discordanceRate:
            // Lagrangian: min Σ (π_gf − π_fg) D + μ(2 Σ π_gf D − B) is a λ-objective with
            // λ = 1/(1 + 2μ). Search λ in [0, 1]: λ = 0 (one grade) always meets the bound.
            var best = [Bool](repeating: false, count: count * count)
            var bestValue = 0.0
            func consider(_ l: Double) -> Bool {
                var c = [Double](repeating: 0, count: count * count)
                for f in 0..<count { for g in 0..<count where f != g { c[f * count + g] = pi[g * count + f] - l * pi[f * count + g] } }
                let candidate = blocks(order: order, cost: c)
                guard feasible(candidate) else { return false }
                let v = value(candidate)
                if v < bestValue { best = candidate; bestValue = v }
                return true
            }
            if consider(1) { return best }
            var lo = 0.0, hi = 1.0
            for _ in 0..<40 {
                let mid = 0.5 * (lo + hi)
                if consider(mid) { lo = mid } else { hi = mid }
            }
            // The bisection reaches only λ solutions; a local search over the grades'
            // boundaries (add, remove or move one, within the bound) improves on it.
            return order.count <= 2000 ? improveBoundaries(best, order: order) : best
        }
    }

    /// Best-improvement local search over contiguous grades of `order` for the DR program:
    /// each step adds, removes or moves one boundary between grades, keeping the expected
    /// discordances within the budget, until no such step lowers the objective. Rectangle
    /// sums over 2-D prefix sums make each candidate O(1).
    func improveBoundaries(_ start: [Bool], order: [Int]) -> [Bool] {
        guard let budget else { return start }
        let n = order.count
        guard n >= 2 else { return start }
        // prefix sums of the cost and the discordance of "order_i above order_j" (i < j).
        let w = n + 1
        var costSum = [Double](repeating: 0, count: w * w), discSum = [Double](repeating: 0, count: w * w)
        for i in 0..<n { for j in 0..<n {
            let c = i < j ? cost[order[i] * count + order[j]] : 0
            let d = i < j ? 2 * pi[order[j] * count + order[i]] : 0
            costSum[(i + 1) * w + j + 1] = c + costSum[i * w + j + 1] + costSum[(i + 1) * w + j] - costSum[i * w + j]
            discSum[(i + 1) * w + j + 1] = d + discSum[i * w + j + 1] + discSum[(i + 1) * w + j] - discSum[i * w + j]
        } }
        func rect(_ s: [Double], _ r0: Int, _ r1: Int, _ c0: Int, _ c1: Int) -> Double {
            s[r1 * w + c1] - s[r0 * w + c1] - s[r1 * w + c0] + s[r0 * w + c0]
        }
        // The boundaries of the start: k where order_{k-1} is above order_k.
        var cuts = (1..<n).filter { start[order[$0 - 1] * count + order[$0]] }
        func totals(_ cuts: [Int]) -> (Double, Double) {
            let edges = [0] + cuts + [n]
            var v = 0.0, d = 0.0
            for b in 0..<(edges.count - 1) {
                // Block b against everything after it.
                v += rect(costSum, edges[b], edges[b + 1], edges[b + 1], n)
                d += rect(discSum, edges[b], edges[b + 1], edges[b + 1], n)
            }
            return (v, d)
        }
        var (value, discordance) = totals(cuts)
        for _ in 0..<(10 * n) {
            var bestMove: [Int]?, bestValue = value - 1e-12, bestDiscordance = discordance
            let edges = [0] + cuts + [n]
            // Add a boundary inside block [a, b).
            for b in 0..<(edges.count - 1) where edges[b + 1] - edges[b] >= 2 {
                let a = edges[b], e = edges[b + 1]
                for k in (a + 1)..<e {
                    let v = value + rect(costSum, a, k, k, e), d = discordance + rect(discSum, a, k, k, e)
                    if d <= budget + 1e-9, v < bestValue { bestValue = v; bestDiscordance = d; bestMove = (cuts + [k]).sorted() }
                }
            }
            // Remove boundary c (merging [a, c) and [c, e)), or move it to k within (a, e).
            for (index, c) in cuts.enumerated() {
                let a = edges[index], e = edges[index + 2]
                let mergedV = value - rect(costSum, a, c, c, e), mergedD = discordance - rect(discSum, a, c, c, e)
                if mergedD <= budget + 1e-9, mergedV < bestValue {
                    bestValue = mergedV; bestDiscordance = mergedD; var next = cuts; next.remove(at: index); bestMove = next
                }
                for k in (a + 1)..<e where k != c {
                    let v = mergedV + rect(costSum, a, k, k, e), d = mergedD + rect(discSum, a, k, k, e)
                    if d <= budget + 1e-9, v < bestValue { bestValue = v; bestDiscordance = d; var next = cuts; next[index] = k; bestMove = next }
                }
            }
            guard let move = bestMove else { break }
            cuts = move; value = bestValue; discordance = bestDiscordance
        }
        let improved = above(order: order, cuts: cuts)
        return feasible(improved) && self.value(improved) <= self.value(start) ? improved : start
    }

    /// D for contiguous grades of `order`: a new grade starts at each position of `cuts`
    /// (sorted), and every organization is above those of the later grades.
    func above(order: [Int], cuts: [Int]) -> [Bool] {
        var result = [Bool](repeating: false, count: count * count)
        var block = [Int](repeating: 0, count: order.count)
        var label = 0, next = 0
        for i in order.indices {
            if next < cuts.count, cuts[next] == i { label += 1; next += 1 }
            block[i] = label
        }
        for i in order.indices { for j in order.indices where block[i] < block[j] { result[order[i] * count + order[j]] = true } }
        return result
    }

    private func blocks(order: [Int], cost c: [Double]) -> [Bool] {
        let n = order.count
        // best[b]: the largest within-block sum over partitions of the first b of the order;
        // rowSum[a] = Σ_{a < k < b} c(order_a above order_k), so that the block [a, b) has
        // W(a, b) = Σ_{a ≤ i < b} rowSum[i]: O(F²) in all.
        var best = [Double](repeating: 0, count: n + 1)
        var cut = [Int](repeating: 0, count: n + 1)
        var rowSum = [Double](repeating: 0, count: n)
        for b in 1...n {
            let last = order[b - 1]
            for a in 0..<(b - 1) { rowSum[a] += c[order[a] * count + last] }
            var within = 0.0, bestValue = -Double.infinity, bestCut = 0
            for a in stride(from: b - 1, through: 0, by: -1) {
                within += rowSum[a]
                // Ties go to the larger block: an ordering that gains nothing is not made.
                let candidate = best[a] + within
                if candidate >= bestValue - 1e-12 { bestValue = max(bestValue, candidate); bestCut = a }
            }
            best[b] = bestValue
            cut[b] = bestCut
        }
        var cuts: [Int] = []
        var b = n
        while b > 0 { if cut[b] > 0 { cuts.append(cut[b]) }; b = cut[b] }
        return above(order: order, cuts: cuts.sorted())
    }

    /// Lower bound from the pairwise relaxation (each unordered pair tied or ordered the
    /// cheaper way; for DR, the Lagrangian dual of that relaxation, maximized over μ ≥ 0).
    func pairwiseBound() -> Double {
        func relaxed(_ mu: Double) -> Double {
            var v = 0.0
            for f in 0..<count { for g in (f + 1)..<count {
                let up = cost[f * count + g] + mu * 2 * pi[g * count + f]
                let down = cost[g * count + f] + mu * 2 * pi[f * count + g]
                v += min(0, up, down)
            } }
            return v - mu * (budget ?? 0)
        }
        guard budget != nil else { return relaxed(0) }
        // Concave in μ: golden-section search over [0, 10⁴].
        var lo = 0.0, hi = 1e4
        let golden = 0.5 * (5.0.squareRoot() - 1)
        for _ in 0..<200 {
            let a = hi - golden * (hi - lo), b = lo + golden * (hi - lo)
            if relaxed(a) < relaxed(b) { lo = a } else { hi = b }
        }
        return max(relaxed(0), relaxed(0.5 * (lo + hi)))
    }
}
