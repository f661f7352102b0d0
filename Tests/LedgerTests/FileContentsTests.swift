import Foundation
import Testing
@testable import Values

/// `FileContents.read` (how `import-study` reads its file: mapped when large)
/// gives the file's bytes exactly, whatever its size or kind, and nil when it cannot be read.
/// Serialized: the guard test looks an address up after its mapping is gone, which another
/// test of this suite mapping a file at once could reuse.
@Suite("Reading a whole file", .serialized)
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

    @Test("every size, below and above the mapping threshold, odd sizes included, reads back byte for byte",
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

    @Test("a large file is mapped, and its address range guarded while its bytes are in use, no longer after")
    func mappedAndGuarded() throws {
        try withFolder { folder in
            let file = folder.appendingPathComponent("large.csv")
            let expected = Self.bytes(9 << 20)
            try expected.write(to: file)
            var address: UInt = 0
            do {
                let data = try #require(FileContents.read(file.path))
                #expect(data == expected)
                address = data.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
                let slot = try #require(MappedFileGuard.slot(containing: address + 12_345))
                let message = String(cString: try #require(MappedFileGuard.slots[slot].message))
                #expect(message == MappedFileGuard.message(for: file.path))
                #expect(MappedFileGuard.slot(containing: address + UInt(9 << 20)) == nil)
            }
            #expect(MappedFileGuard.slot(containing: address + 12_345) == nil)
        }
    }
}
