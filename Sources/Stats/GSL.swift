import CGSL

/// An error reported by GNU GSL, turned into a Swift error.
///
/// GSL's default error handler aborts the process. Barometre turns it off once
/// (see ``GSL/ensureConfigured()``) and checks every status and every returned value
/// instead, so that a numerical failure reaches the user as a message, never as a crash.
public struct GSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The GSL status code (`GSL_EDOM`, `GSL_EMAXITER`, ...), or `nil` when the failure
    /// was detected from a non-finite result rather than a status.
    public var status: Int?
    /// What Barometre was computing.
    public var operation: String
    /// GSL's own explanation of the status.
    public var reason: String

    public var description: String {
        "numerical error in \(operation): \(reason)"
    }
}

/// The single place where GSL is configured and its statuses are checked.
enum GSL {
    /// Turning the abort handler off is process-wide and must happen before any call.
    /// A lazily initialised global is initialised exactly once, thread-safely.
    private static let configured: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    @inline(__always)
    static func ensureConfigured() {
        _ = configured
    }

    /// Converts a GSL status into a thrown ``GSLError``.
    static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(GSLError) {
        guard Int(status) != GSL_SUCCESS else { return }
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "status \(status)"
        throw GSLError(status: Int(status), operation: operation(), reason: reason)
    }

    /// GSL functions that return a value (not a status) signal errors with NaN once the
    /// handler is off: a non-finite result becomes a thrown error.
    static func finite(_ value: Double, _ operation: @autoclosure () -> String) throws(GSLError) -> Double {
        guard value.isFinite else {
            throw GSLError(status: nil, operation: operation(), reason: "result is not a finite number (\(value))")
        }
        return value
    }
}
