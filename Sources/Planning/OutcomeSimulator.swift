import Campaigns
import Foundation
import Stats
import Values

/// A stated truth to simulate outcomes from (`barometre simulate --scenario FILE`).
///
/// ```json
/// { "description": "Illustrative scenario, not an estimate of reality",
///   "outcomes": { "arm-id": {"no_response": 0.5, "refusal": 0.2, "interview": 0.3}, … },
///   "withinTestCorrelation": 0.4 }
/// ```
/// Each arm's probabilities over the campaign's scale (levels left out have probability 0)
/// sum to 1. With probability ρ = `withinTestCorrelation`, all applications of a test share
/// one uniform draw (a target that answers everyone, or no one); otherwise each draws its own.
///
/// Heterogeneity across organizations (optional, log-odds standard deviations): each
/// organization draws a shift u ~ N(0, `organizationSD`²) of every arm's log-odds of a
/// positive answer, and a shift v ~ N(0, `discriminationSD`²) added for the tested arms
/// only: some organizations answer more, some discriminate more. The positive levels'
/// probabilities are rescaled to the shifted total, the negative levels' to its complement.
public struct Scenario: Sendable, Equatable {
    public let description: String
    /// Per arm, the probability of each level of the scale (in scale order).
    public let probabilities: [String: [Double]]
    public let withinTestCorrelation: Double
    public var organizationSD: Double = 0
    public var discriminationSD: Double = 0

    /// Reads and checks a scenario against a campaign; every problem is listed.
    public static func parse(_ data: Data, file: String, arms: [String], scale: [String]) throws(CampaignValidationError) -> Scenario {
        func issue(_ path: String, _ message: String, _ hint: String? = nil) -> ValidationIssue {
            ValidationIssue(file: file, location: path, message: message, hint: hint)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CampaignValidationError(issues: [issue("file", "is not a JSON object", "see the README, \"barometre simulate\"")])
        }
        var issues: [ValidationIssue] = []
        let keys = ["description", "outcomes", "withinTestCorrelation", "organizationSD", "discriminationSD"]
        for key in root.keys.sorted() where !keys.contains(key) {
            issues.append(issue("$.\(key)", "unknown key \"\(key)\"", suggestion(for: key, among: keys)))
        }
        var sds: [Double] = []
        for key in ["organizationSD", "discriminationSD"] {
            let value = (root[key] as? NSNumber)?.doubleValue ?? 0
            if !(value >= 0 && value <= 5) { issues.append(issue("$.\(key)", "must be a log-odds standard deviation between 0 and 5, got \(value)")) }
            sds.append(value)
        }
        let rho = (root["withinTestCorrelation"] as? NSNumber)?.doubleValue ?? 0
        if !(0...1).contains(rho) { issues.append(issue("$.withinTestCorrelation", "must lie between 0 and 1, got \(rho)")) }
        let outcomes = root["outcomes"] as? [String: Any] ?? [:]
        if root["outcomes"] == nil { issues.append(issue("$.outcomes", "is missing", "give each arm's probabilities over the scale")) }
        var probabilities: [String: [Double]] = [:]
        for arm in arms where outcomes[arm] == nil {
            issues.append(issue("$.outcomes", "gives no distribution for arm \"\(arm)\"", "the campaign's arms are: \(arms.joined(separator: ", "))"))
        }
        for (arm, value) in outcomes.sorted(by: { $0.key < $1.key }) {
            guard arms.contains(arm) else {
                issues.append(issue("$.outcomes.\(arm)", "is not an arm of the campaign", suggestion(for: arm, among: arms)))
                continue
            }
            guard let levels = value as? [String: Any] else { issues.append(issue("$.outcomes.\(arm)", "must map levels to probabilities")); continue }
            var row = [Double](repeating: 0, count: scale.count)
            for (level, p) in levels {
                guard let index = scale.firstIndex(of: level) else {
                    issues.append(issue("$.outcomes.\(arm).\(level)", "is not a level of the scale (\(scale.joined(separator: " < ")))", suggestion(for: level, among: scale)))
                    continue
                }
                guard let number = (p as? NSNumber)?.doubleValue, number >= 0, number <= 1 else {
                    issues.append(issue("$.outcomes.\(arm).\(level)", "must be a probability between 0 and 1"))
                    continue
                }
                row[index] = number
            }
            let total = row.reduce(0, +)
            if abs(total - 1) > 1e-9 { issues.append(issue("$.outcomes.\(arm)", "probabilities sum to \(total), not 1")) }
            probabilities[arm] = row
        }
        guard issues.isEmpty else { throw CampaignValidationError(issues: issues) }
        return Scenario(description: root["description"] as? String ?? "", probabilities: probabilities, withinTestCorrelation: rho,
                        organizationSD: sds[0], discriminationSD: sds[1])
    }
}

/// Draws simulated outcomes for planned applications. Every draw comes from one seeded GSL
/// mt19937 generator, in application order, so the same plan, scenario and seed always
/// give the same outcomes.
public enum OutcomeSimulator {
    public struct Application: Sendable {
        public let code: String
        public let test: String
        public let arm: String
        /// `YYYY-MM-DDTHH:MM`.
        public let sendAt: String
        public let organization: String?

        public init(code: String, test: String, arm: String, sendAt: String, organization: String? = nil) {
            self.code = code
            self.test = test
            self.arm = arm
            self.sendAt = sendAt
            self.organization = organization
        }
    }

    public struct Draw: Sendable, Equatable {
        public let code: String
        public let levelIndex: Int
        /// `YYYY-MM-DD`: 1 to `responseWindowDays` days after sending.
        public let observedAt: String
    }

    /// Applications sent after `today` (YYYY-MM-DD) get no draw: they are still pending.
    /// With heterogeneity, `reference` and `threshold` say which arm is not shifted by the
    /// discrimination term and which levels count as positive.
    public static func draw(_ applications: [Application], scenario: Scenario, seed: UInt64, responseWindowDays: Int, today: String,
                            reference: String? = nil, threshold: Int = 1) -> [Draw] {
        let generator = SeededGenerator(seed: seed)
        let heterogeneous = scenario.organizationSD > 0 || scenario.discriminationSD > 0
        var shifts: [String: (Double, Double)] = [:]
        var shared: [String: Double?] = [:]  // per test: the common uniform, or nil for independent draws
        var draws: [Draw] = []
        for a in applications {
            let date = String(a.sendAt.prefix(10))
            guard date < today, let sent = CalendarDate(date) else { continue }
            if shared[a.test] == nil {
                shared[a.test] = .some(generator.uniform() < scenario.withinTestCorrelation ? generator.uniform() : nil)
            }
            let common: Double? = shared[a.test]!  // the test's shared draw, or nil when independent
            let u = common ?? generator.uniform()
            var probabilities = scenario.probabilities[a.arm]!
            if heterogeneous, let organization = a.organization {
                if shifts[organization] == nil {
                    shifts[organization] = (generator.gaussian(standardDeviation: scenario.organizationSD),
                                            generator.gaussian(standardDeviation: scenario.discriminationSD))
                }
                let (u, v) = shifts[organization]!
                probabilities = shifted(probabilities, by: u + (a.arm == reference ? 0 : v), threshold: threshold)
            }
            var cumulative = 0.0, level = probabilities.count - 1
            for (index, p) in probabilities.enumerated() {
                cumulative += p
                if u < cumulative { level = index; break }
            }
            let delay = 1 + generator.integer(below: max(1, responseWindowDays))
            var observed = CalendarDate(dayNumber: sent.dayNumber + delay).description
            if observed > today { observed = today }
            draws.append(Draw(code: a.code, levelIndex: level, observedAt: observed))
        }
        return draws
    }

    /// Shifts the log-odds of reaching `threshold` by `delta`, keeping each side's shape.
    static func shifted(_ p: [Double], by delta: Double, threshold: Int) -> [Double] {
        let positive = p[threshold...].reduce(0, +)
        guard positive > 0, positive < 1, delta != 0 else { return p }
        let logit = log(positive / (1 - positive)) + delta
        let target = 1 / (1 + exp(-logit))
        return p.enumerated().map { $0.offset >= threshold ? $0.element * target / positive : $0.element * (1 - target) / (1 - positive) }
    }
}
