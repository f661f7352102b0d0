import Foundation
import Hummingbird

/// A URL-encoded form body (`application/x-www-form-urlencoded`), first value per name.
struct FormData: Sendable {
    let values: [String: String]

    subscript(_ name: String) -> String? { values[name] }

    static func read(_ request: Request, context: WebContext) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return FormData(encoded: String(buffer: buffer))
    }

    init(encoded: String) {
        var values: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        self.values = values
    }
}
