import Foundation

// Plain-text formatting for terminals (`analyze`, `stats`, `power`): fixed decimals, with the
// JSON outputs keeping full precision.

/// Fixed-format numbers for people (4 decimals; the JSON output keeps full precision).
public func decimal(_ value: Double?, places: Int = 4) -> String {
    guard let value else { return "—" }
    if value == .infinity { return "+∞" }
    if value == -.infinity { return "−∞" }
    if value.isNaN { return "—" }
    let text = String(format: "%.\(places)f", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

public func percent(_ value: Double) -> String {
    let text = String(format: "%.4g", value * 100)
    return text + "%"
}

public func pValue(_ p: Double) -> String {
    if p < 1e-4 { return String(format: "%.2e", p) }
    return String(format: "%.6f", p)
}

public func padded(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text : text + String(repeating: " ", count: width - count)
}
