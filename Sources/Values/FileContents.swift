import Foundation

/// A whole file's bytes: a large regular file mapped into memory, a smaller one read.
///
/// Reading a study's CSV is the first step of `import-study`. Copied into memory, most of
/// its cost was the system handing the program fresh memory page by page (two threads
/// reading the two halves side by side: 36 ms for the 128 MB bench file, and 1.3 GB of
/// memory at 10⁷ tests); mapped, the file's pages already in the system's cache become the
/// program's at once (11 ms, no copy). A mapped file shortened by another program while it
/// is read would kill the process: ``MappedFileGuard`` turns that into a clear error (exit
/// 74). A file that cannot be mapped is read with `pread`, on two threads when large; a file
/// that changes size while it is read is read again, whole, on one thread; anything but a
/// regular file (a pipe, a device) is read to its end on one thread.
public enum FileContents {
    /// Files under this size are read, on one thread (a thread's start, or a mapping, costs
    /// more than it saves); from this size they are mapped.
    static let largeFile = 8 << 20

    /// The file's bytes, or nil when it cannot be opened or read (no such file, no permission).
    /// A mapped file's bytes are read-only memory: callers read them and never change the
    /// returned `Data` in place (none does: they parse it, or copy it into an array first).
    public static func read(_ path: String) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard (info.st_mode & S_IFMT) == S_IFREG else { return sequential(descriptor) }
        if size >= largeFile, let mapped = map(descriptor, count: size, path: path) { return mapped }
        var data = Data(count: size)
        let complete = data.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) -> Bool in
            guard size > 0 else { return true }
            let base = UncheckedSendable(raw.baseAddress!)
            let read: @Sendable (Range<Int>) -> Bool = { part in
                readFully(descriptor, into: base.value + part.lowerBound, count: part.count, at: part.lowerBound)
            }
            guard size >= largeFile else { return read(0..<size) }
            // Two halves meeting on a page boundary (no page touched by both threads).
            let middle = (size / 2) & ~4095
            let (first, second) = bothAtOnce({ read(0..<middle) }, { read(middle..<size) })
            return first && second
        }
        // Complete when each part was read whole and nothing follows the end; else the file
        // changed size while it was read: read it again, from its start, to its end.
        var probe: UInt8 = 0
        guard complete, pread(descriptor, &probe, 1, off_t(size)) == 0 else {
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { return nil }
            return sequential(descriptor)
        }
        return data
    }

    /// The file mapped read-only (its pages loaded at once), guarded against being shortened
    /// while mapped; nil when it cannot be mapped. The mapping is removed with the `Data`.
    private static func map(_ descriptor: Int32, count: Int, path: String) -> Data? {
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), base != MAP_FAILED else { return nil }
        guard let slot = MappedFileGuard.register(base, count: count, path: path) else {
            munmap(base, count)
            return nil
        }
        return Data(bytesNoCopy: base, count: count, deallocator: .custom { pointer, count in
            MappedFileGuard.release(slot)
            munmap(pointer, count)
        })
    }

    /// `count` bytes from `offset`; false when the file ends first or a read fails.
    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Bool {
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Reads to the end of the file, whatever its kind.
    private static func sequential(_ descriptor: Int32) -> Data? {
        var data = Data()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, chunk) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return data }
            data.append(contentsOf: buffer[..<n])
        }
    }
}
