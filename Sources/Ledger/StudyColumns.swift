import Foundation
import Values

/// An imported study as columns: what `import-study` stores in one `studyColumns` row
/// instead of one `test`, `application` and `outcomeEvent` row per line of the file. At
/// 10^6 tests that is the difference between minutes and seconds, for writing and for
/// reading back (bench/README.md).
///
/// Tests are in the order of the file (first row of each target); each test's applications
/// follow it, in send order when known (unknown positions last), else file order: the same
/// order, codes (`TARGET-POSITION`) and replicates as the relational import.
///
/// Stored as a blob: format 2 is written (StudyColumns+Format2.swift); format 1, written
/// before, is still read (StudyColumns+Format1.swift).
struct StudyColumns: Equatable {
    /// Per test: its target (also the test's code), applications, organization and the
    /// slice values all its applications share (positions in `attributeTexts`). The targets
    /// are empty when the blob was decoded without them (``init(_:names:)``): only the
    /// analysis of a study without corrections does so, which never names a test.
    var targets: [String] = []
    var testSize: [Int32] = []
    var testOrganization: [Int32] = []
    var testAttributes: [Int32] = []
    var arms: [String] = []
    var organizations: [String] = []
    /// Distinct slice-value sets as JSON objects with sorted keys; 0 is `{}`.
    var attributeTexts: [String] = ["{}"]
    /// Per application, test after test.
    var arm: [Int32] = []
    /// Position in the test's send order; −1 when unknown.
    var sendOrder: [Int32] = []
    /// The application's slice values (position in `attributeTexts`).
    var attributes: [Int32] = []
    /// 1 when the imported answer is positive, else 0.
    var positive: [UInt8] = []

    var applications: Int { arm.count }
    /// The number of tests (named or not).
    var testCount: Int { testSize.count }

    init() {}

    /// Where each test's applications start; one more entry than there are tests.
    func starts() -> [Int] {
        var starts = [Int](repeating: 0, count: testCount + 1)
        for t in 0..<testCount { starts[t + 1] = starts[t] + Int(testSize[t]) }
        return starts
    }

    /// Each application's code (`TARGET-POSITION`) and replicate (its rank within its arm in the test).
    func forEachApplication(_ body: (_ index: Int, _ test: Int, _ position: Int, _ replicate: Int) throws -> Void) rethrows {
        var index = 0
        var replicate = [Int](repeating: 0, count: arms.count)
        for test in 0..<testCount {
            for a in 0..<arms.count { replicate[a] = 0 }
            for position in 0..<Int(testSize[test]) {
                replicate[Int(arm[index])] += 1
                try body(index, test, position, replicate[Int(arm[index])])
                index += 1
            }
        }
    }

    /// The integer columns in their stored order (`positive` last).
    var integerColumns: [[Int32]] { [testSize, testOrganization, testAttributes, arm, sendOrder, attributes] }

    /// Every blob starts with "BRSC" and its format's number.
    static let signature: [UInt8] = Array("BRSC".utf8)

    /// The format of a stored blob (1 or 2), from its first bytes; nil when it is neither.
    static func format(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 5, bytes.prefix(4).elementsEqual(signature), [1, 2].contains(bytes[4]) else { return nil }
        return Int(bytes[4])
    }

    /// Decodes a stored blob of either format; `nil` when it is neither or is damaged.
    init?(_ data: Data) {
        // The blob's bytes are only read by the two decoding threads, while `data` keeps them.
        guard let decoded = data.withUnsafeBytes({ Self.decode(UncheckedSendable($0), names: true) }) else { return nil }
        self = decoded
    }

    /// Decodes a stored blob from bytes that stay valid while this runs (SQLite's row).
    /// `names`: false leaves the targets' names undecoded (a million strings at 10⁶ tests;
    /// `targets` is then empty).
    init?(_ bytes: UnsafeRawBufferPointer, names: Bool = true) {
        guard let decoded = Self.decode(UncheckedSendable(bytes), names: names) else { return nil }
        self = decoded
    }

    private static func decode(_ bytes: UncheckedSendable<UnsafeRawBufferPointer>, names: Bool) -> StudyColumns? {
        switch format(of: bytes.value) {
        case 1: return decodeFormat1(bytes, names: names)
        case 2: return decodeFormat2(bytes, names: names)
        default: return nil
        }
    }

    /// Whether a stored blob has a test with this target, read from its bytes without
    /// decoding the rest (so that `record` and `history` stay quick beside a large study).
    static func hasTarget(_ data: Data, _ target: String) -> Bool {
        data.withUnsafeBytes { raw in
            switch format(of: raw) {
            case 1: return hasTargetFormat1(raw, Array(target.utf8))
            case 2: return hasTargetFormat2(raw, Array(target.utf8))
            default: return false
            }
        }
    }

    /// The columns as decoded, if they hold together: as many values per test and per
    /// application as there are tests and applications (and a name per test, when the names
    /// were decoded), no test without an application, and every position within its table.
    func validated(names: Bool = true) -> StudyColumns? {
        let n = arm.count, tests = testSize.count
        guard !names || targets.count == tests, testOrganization.count == tests, testAttributes.count == tests,
              Self.all(testSize, within: 1..<Int(Int32.max)),
              sendOrder.count == n, attributes.count == n, positive.count == n, testSize.reduce(0, { $0 + Int($1) }) == n,
              Self.all(arm, within: 0..<arms.count), Self.all(attributes, within: 0..<attributeTexts.count),
              Self.all(testAttributes, within: 0..<attributeTexts.count), Self.all(testOrganization, within: -1..<organizations.count)
        else { return nil }
        return self
    }

    /// Whether every value of a column is in `range`: its least and greatest values, found in
    /// one plain loop (which the compiler turns into vector instructions; millions of values).
    static func all(_ column: [Int32], within range: Range<Int>) -> Bool {
        column.withUnsafeBufferPointer { values in
            var least = Int32.max, greatest = Int32.min
            for v in values {
                least = Swift.min(least, v)
                greatest = Swift.max(greatest, v)
            }
            return values.isEmpty || (Int(least) >= range.lowerBound && Int(greatest) < range.upperBound)
        }
    }

    /// Reads a blob's parts, little-endian, refusing to read past its end.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(bytes: UnsafeRawBufferPointer, offset: Int = 0) {
            self.bytes = bytes
            self.offset = offset
        }

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        }

        mutating func uint32() -> UInt32? {
            guard let b = take(4) else { return nil }
            return UInt32(littleEndian: b.loadUnaligned(as: UInt32.self))
        }

        mutating func byte() -> UInt8? { take(1)?.first }

        /// An unsigned LEB128 number (7 bits per byte, least significant first), at most 2³¹.
        mutating func varint() -> Int? {
            var value = 0, shift = 0
            while let b = byte() {
                value |= Int(b & 0x7F) << shift
                if b & 0x80 == 0 { return value <= Int(Int32.max) ? value : nil }
                shift += 7
                if shift > 28 { return nil }
            }
            return nil
        }
    }
}
