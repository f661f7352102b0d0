import Foundation

/// The R-generated reference values (Fixtures/reference-values.csv, made by
/// Fixtures/generate.R; see that script for where each value comes from).
struct ReferenceValues {
    struct Case: Hashable {
        let group: String
        let id: String
        let counts: [Int]
        let level: Double
    }

    /// Value per key per case; `nil` marks a value undefined for that input ("NA").
    let cases: [Case: [String: Double?]]

    static let shared: ReferenceValues = {
        guard let url = Bundle.module.url(forResource: "reference-values", withExtension: "csv", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("Fixtures/reference-values.csv is missing from the test bundle: run Tests/StatsTests/Fixtures/generate.R") }
        var cases: [Case: [String: Double?]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("group,") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            precondition(f.count == 9, "malformed fixture line: \(line)")
            let key = Case(group: f[0], id: f[1], counts: f[2...5].map { Int($0)! }, level: Double(f[6])!)
            let value: Double? = switch f[8] {
            case "NA": nil
            case "Inf": .infinity
            case "-Inf": -.infinity
            default: Double(f[8])!
            }
            cases[key, default: [:]][f[7]] = value
        }
        return ReferenceValues(cases: cases)
    }()

    func cases(in group: String) -> [(Case, [String: Double?])] {
        cases.filter { $0.key.group == group }.sorted { ($0.key.id, $0.key.level) < ($1.key.id, $1.key.level) }
    }
}
