import Foundation

// Work split between two threads: values handed to them, and two halves run side by side.

/// A value handed to concurrent threads under the caller's promise that they use it safely:
/// they only read it, or each writes its own positions through it (a pointer into a buffer
/// that outlives them). One wrapper for every such hand-over.
@frozen
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

/// `first` and `second` run side by side, on two cores when there are two; their results.
/// For two independent halves of a step (e.g. the columns of a study, some made from its
/// applications and some from its tests), where most of the time is the system handing over
/// fresh memory, which two threads get at once.
@inlinable
public func bothAtOnce<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let results = PairResults<A, B>()
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        if k == 0 { results.setFirst(first()) } else { results.setSecond(second()) }
    }
    return results.both
}

/// Each half's result, set once by its own thread and read after both have finished.
@usableFromInline
final class PairResults<A: Sendable, B: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var first: A?, second: B?
    @usableFromInline init() {}
    @usableFromInline func setFirst(_ value: A) { lock.withLock { first = value } }
    @usableFromInline func setSecond(_ value: B) { lock.withLock { second = value } }
    @usableFromInline var both: (A, B) { lock.withLock { (first!, second!) } }
}

/// Work started on another thread at once, its result waited for later: for a step that
/// can run while the caller does another (a plan's files written while its rows are
/// inserted). ``value()`` may be called any number of times, from any thread.
public final class StartedWork<Value: Sendable>: @unchecked Sendable {
    // `result` is written once, before `done` is left; read only after waiting on `done`.
    private let done = DispatchGroup()
    private var result: Result<Value, any Error>?

    public init(_ work: @escaping @Sendable () throws -> Value) {
        done.enter()
        DispatchQueue.global().async { [self] in
            result = Result { try work() }
            done.leave()
        }
    }

    /// The work's value once it has finished, or the error it threw.
    public func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
