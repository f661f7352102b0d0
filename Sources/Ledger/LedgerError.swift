/// Why the ledger refused something. Every message says what to do instead.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file cannot be opened or created (sysexits 73/74).
    case cannotOpen(path: String, reason: String)
    /// Something named does not exist (an application, an event, a campaign).
    case notFound(String, hint: String)
    /// The request contradicts what is recorded (sysexits 65).
    case refused(String, hint: String)
    /// A CSV file has bad lines; every one is listed (sysexits 65).
    case badLines(file: String, [LineProblem])
    /// The same file was imported before: nothing was written.
    case alreadyImported(file: String, importID: Int64, importedAt: String)
    /// SQLite reported an error (sysexits 74), with its result code when SQLite gave one.
    case database(DatabaseFailure)
    /// Writing the files that go with a transaction failed (e.g. a plan's folder): nothing
    /// was recorded (sysexits 73).
    case cannotWrite(String)

    /// How many bad lines a message lists before summarizing the rest.
    public static let linesShown = 20

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open the ledger \(path): \(reason)"
        case let .notFound(what, hint): return "\(what)\n  hint: \(hint)"
        case let .refused(what, hint): return "\(what)\n  hint: \(hint)"
        case let .badLines(file, problems):
            // The first problems say what is wrong; a thousand more would hide it.
            let shown = problems.prefix(Self.linesShown).map { "\(file): \($0)" }
            let more = problems.count > Self.linesShown ? ["\(file): … and \(problems.count - Self.linesShown) more"] : []
            return (shown + more).joined(separator: "\n")
                + "\n\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported"
        case let .alreadyImported(file, id, at): return "\(file) was already imported (import \(id), \(at)): nothing was written"
        case let .database(failure): return "database error: \(failure.message)" + (failure.resultCode.map { " (SQLite result code \($0))" } ?? "")
        case let .cannotWrite(reason): return reason
        }
    }

    /// The message's lines, each an error to show, and the hint (how to fix it), if any:
    /// composed here, so that no caller rewrites the text.
    public var report: (errors: [String], hint: String?) {
        switch self {
        case let .notFound(what, hint), let .refused(what, hint): return ([what], hint)
        case let .badLines(file, problems):
            let shown = problems.prefix(Self.linesShown).map { "\(file): \($0)" }
            let more = problems.count > Self.linesShown ? ["\(file): … and \(problems.count - Self.linesShown) more"] : []
            return (shown + more + ["\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported"], nil)
        default: return ([description], nil)
        }
    }
}

/// An error SQLite reported: its primary result code (`SQLITE_BUSY` is 5, `SQLITE_FULL` 13,
/// …; nil when the failure was not SQLite's) and its message.
public struct DatabaseFailure: Sendable, Equatable {
    public let resultCode: Int32?
    public let message: String

    public init(resultCode: Int32? = nil, message: String) {
        self.resultCode = resultCode
        self.message = message
    }
}

/// One bad line of an imported CSV file.
public struct LineProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based, as in a text editor: the header is line 1.
    public let line: Int
    public let column: String?
    public let reason: String

    public init(line: Int, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(reason)"
    }
}
