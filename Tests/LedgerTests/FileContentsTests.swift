import Foundation
import Testing
import Values

/// `FileContents.read` (how `import-study` reads its file: two threads for a large one)
/// gives the file's bytes exactly, whatever its size or kind, and nil when it cannot be read.
@Suite("Reading a whole file")
struct FileContentsTests {
    /// A scratch folder, removed afterwards.
    func withFolder(_ body: (URL) throws -> Void) throws {
        try withScratchFolder("file-contents", body)
    }

    /// Bytes that differ from position to position (a misplaced half would show).
    static func bytes(_ count: Int) -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    @Test("every size, below and above the two-thread threshold, odd sizes included, reads back byte for byte",
          arguments: [0, 1, 4095, 4097, 1 << 20, (8 << 20) - 1, 8 << 20, (20 << 20) + 12_345])
    func sizes(_ size: Int) throws {
        try withFolder { folder in
            let file = folder.appendingPathComponent("data.csv")
            let expected = Self.bytes(size)
            try expected.write(to: file)
            #expect(FileContents.read(file.path) == expected)
        }
    }

    @Test("a missing file or a folder gives nil; a device is read to its end")
    func unreadable() throws {
        try withFolder { folder in
            #expect(FileContents.read(folder.appendingPathComponent("absent.csv").path) == nil)
            #expect(FileContents.read(folder.path) == nil)
        }
        #expect(FileContents.read("/dev/null") == Data())
    }
}
