import Foundation

/// The worker threads of the BLAS that CBC's LAPACK brings in (OpenBLAS on Debian), stopped
/// while no one uses them.
///
/// OpenBLAS starts one thread per core when it is loaded, at process start, and each spins
/// on `sched_yield` for about 0.1 s of CPU before it sleeps. Only the report card's grading
/// program (``Grading``, through CBC) can use it, and no command needs those threads at start:
/// measured on a 2-core machine, every `barometre` run spent 0.08–0.10 s of CPU on them
/// (`analyze` of 10⁶ tests: 1.07 → 0.98 s of CPU), time taken from the analysis's own two
/// threads. OpenBLAS starts them again by itself if a later call wants them.
public enum BLASThreads {
    /// Stops OpenBLAS's idle threads when OpenBLAS is loaded; elsewhere (another BLAS, or
    /// none) does nothing. Returns whether they were stopped. The command line calls it first
    /// thing. It holds the solver's lock (``Program/solverLock``: CBC is the only user of
    /// BLAS here), since stopping the threads while a solve uses them leaves that solve
    /// waiting for them forever (seen in the test run, where a test stopped them while
    /// another one graded).
    @discardableResult
    public static func stopIdle() -> Bool {
        Program.solverLock.lock()
        defer { Program.solverLock.unlock() }
        // OpenBLAS's own call for this (it runs it before a fork), found by name so that no
        // other BLAS is required to have it. RTLD_DEFAULT: every library loaded.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return false }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
        return true
    }
}
