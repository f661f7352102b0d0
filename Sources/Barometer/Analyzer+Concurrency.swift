import Foundation
import Stats
import Values

// Running the comparisons on every core (Dispatch) with typed errors.

extension Analyzer {
    /// `transform` on every element, spread over the cores (Dispatch), results in order; the
    /// first error (in element order) is thrown.
    static func concurrentMap<Element, Value>(_ elements: [Element], _ transform: (Element) throws(StatisticsError) -> Value) throws(StatisticsError) -> [Value] {
        if elements.count < 2 { return try elements.map { e throws(StatisticsError) in try transform(e) } }
        let results = ResultSlots<Value>(count: elements.count)
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedSendable(transform), inputs = UncheckedSendable(elements)
            DispatchQueue.concurrentPerform(iterations: elements.count) { i in
                results.set(i, Result { () throws(StatisticsError) -> Value in try shared.value(inputs.value[i]) })
            }
        }
        var values: [Value] = []
        for outcome in results.all() {
            switch outcome {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            }
        }
        return values
    }

}

/// Results written by concurrent iterations, one slot each.
final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, StatisticsError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, StatisticsError>) { lock.withLock { slots[index] = result } }

    func all() -> [Result<Value, StatisticsError>] { lock.withLock { slots.map { $0! } } }
}
