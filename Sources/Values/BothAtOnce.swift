import Foundation

/// `first` and `second` run side by side, on two cores when there are two; their results.
/// For two independent halves of a step (e.g. the columns of a study, some made from its
/// applications and some from its tests), where most of the time is the system handing over
/// fresh memory, which two threads get at once.
public func bothAtOnce<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let results = PairResults<A, B>()
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        if k == 0 { results.setFirst(first()) } else { results.setSecond(second()) }
    }
    return results.both
}

/// Each half's result, set once by its own thread and read after both have finished.
private final class PairResults<A: Sendable, B: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var first: A?, second: B?
    func setFirst(_ value: A) { lock.withLock { first = value } }
    func setSecond(_ value: B) { lock.withLock { second = value } }
    var both: (A, B) { lock.withLock { (first!, second!) } }
}
