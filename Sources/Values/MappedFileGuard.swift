import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What happens when a file mapped into memory (``FileContents``) is shortened by another
/// program while it is read: the pages past its new end are gone, and reading one raises
/// SIGBUS, which would kill the process with no word of why. While a file is mapped, its
/// address range is registered here with a message; a SIGBUS at an address inside a
/// registered range writes that message to standard error and exits with 74 (EX_IOERR).
/// Nothing from the file was recorded by then: a command reads its input whole, and checks
/// it, before it writes anything from it.
/// A SIGBUS anywhere else goes to the handler there was before (the Swift runtime's crash
/// report, or the default action).
///
/// The handler only reads a fixed table of plain values (no allocation, no reference
/// counting) and calls `write` and `_exit`, both safe in a signal handler.
public enum MappedFileGuard {
    /// How many files may be mapped at once (a command reads one or two inputs).
    static let capacity = 8

    struct Slot {
        var start: UInt = 0, end: UInt = 0
        var message: UnsafeMutablePointer<CChar>? = nil
        var length: Int = 0
    }

    /// The table the handler reads: allocated once, never freed.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<Slot> = {
        let table = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        table.initialize(repeating: Slot(), count: capacity)
        return table
    }()
    static let lock = NSLock()
    nonisolated(unsafe) static var installed = false
    /// The SIGBUS action before this one, put back for a fault elsewhere.
    nonisolated(unsafe) static var previous = sigaction()

    /// The exit status of a read cut short (sysexits EX_IOERR).
    public static let exitStatus: Int32 = 74

    /// The message written when the file at `path` is shortened while mapped.
    public static func message(for path: String) -> String {
        "error: \(path) changed while it was read (it was shortened or replaced); stopped before anything was recorded from it.\n"
            + "hint: run the command again once the file is complete.\n"
    }

    /// Registers `count` bytes mapped at `base` from `path`; returns the slot to release
    /// (nil when the table is full: the file is then read without mapping it).
    static func register(_ base: UnsafeRawPointer, count: Int, path: String) -> Int? {
        lock.withLock {
            installIfNeeded()
            guard let k = (0..<capacity).first(where: { slots[$0].end == 0 }) else { return nil }
            let text = Array(message(for: path).utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
            copy.initialize(from: text, count: text.count)
            // The message first, the range last: the handler never sees a range without its message.
            slots[k].message = copy
            slots[k].length = text.count - 1
            slots[k].start = UInt(bitPattern: base)
            slots[k].end = UInt(bitPattern: base) + UInt(count)
            return k
        }
    }

    /// Releases a slot before its mapping is removed.
    static func release(_ k: Int) {
        lock.withLock {
            slots[k].start = 0
            slots[k].end = 0
            slots[k].message?.deallocate()
            slots[k].message = nil
            slots[k].length = 0
        }
    }

    /// The slot whose mapped range holds `address`, if any: what the handler checks (a plain
    /// loop over the table, nothing allocated).
    static func slot(containing address: UInt) -> Int? {
        var k = 0
        while k < capacity {
            if slots[k].start <= address && address < slots[k].end { return k }
            k += 1
        }
        return nil
    }

    private static func installIfNeeded() {
        guard !installed else { return }
        installed = true
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
            if let k = MappedFileGuard.slot(containing: address), let message = MappedFileGuard.slots[k].message {
                _ = write(2, message, MappedFileGuard.slots[k].length)
                _exit(MappedFileGuard.exitStatus)
            }
            // Not a mapped input: the handler there was before (the Swift runtime's crash
            // report, or the default action) takes it when the faulting instruction runs again.
            sigaction(SIGBUS, &MappedFileGuard.previous, nil)
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, &previous)
    }
}
