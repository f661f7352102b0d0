import Foundation

enum FileHandleShim {
    static func writeToStandardError(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// Fixed-format numbers for people (4 decimals; the JSON output keeps full precision).
func decimal(_ value: Double?, places: Int = 4) -> String {
    guard let value else { return "—" }
    if value == .infinity { return "+∞" }
    if value == -.infinity { return "−∞" }
    if value.isNaN { return "—" }
    let text = String(format: "%.\(places)f", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

func percent(_ value: Double) -> String {
    let text = String(format: "%.4g", value * 100)
    return text + "%"
}

func pValue(_ p: Double) -> String {
    if p < 1e-4 { return String(format: "%.2e", p) }
    return String(format: "%.6f", p)
}

func padded(_ text: String, _ width: Int) -> String {
    let count = text.count
    return count >= width ? text : text + String(repeating: " ", count: width - count)
}
