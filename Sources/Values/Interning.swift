import Foundation

// Interning: each distinct value stored once and referred to by its position (Int32), as the
// column tables (ApplicationColumns) keep tests, arms, testers, organizations and sets.

/// Positions of distinct strings, in order of first appearance, found from their bytes without
/// making a String per occurrence (CSV fields, SQLite text columns): an open-addressing table on FNV-1a hashes of the bytes. A value
/// equal to the previous one (rows of one target follow each other) is found by comparison.
///
/// The lookup is `@inlinable`: it runs once per field of multi-million-row imports and
/// column reads in other modules, where a call across the module boundary would cost more
/// than the lookup itself (bench/README.md).
public struct TextPositions: Sendable {
    public var values: [String] { strings }
    @usableFromInline var strings: [String] = []
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var starts: [Int] = [0]
    @usableFromInline var table: [Int32]
    /// One byte per slot of `table`: 0 when empty, else 0x80 | 7 bits of the value's hash. A
    /// probe reads these (a quarter of the table's memory, so more of it stays in cache) and
    /// looks at a slot's value only when its tag matches.
    @usableFromInline var tags: [UInt8]
    @usableFromInline var last: Int32 = -1
    /// Where `last`'s bytes are in `arena`.
    @usableFromInline var lastStart = 0, lastCount = -1

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        tags = [UInt8](repeating: 0, count: size)
    }

    @inlinable
    func matches(_ k: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[Int(k)], end = starts[Int(k) + 1]
        return end - start == bytes.count && stored(at: start, equals: bytes)
    }

    /// Whether the arena holds `bytes` from `start` (its length already checked).
    @inlinable
    func stored(at start: Int, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            guard bytes.count > 16 else {
                // Short values (codes, names): compared inline, not through a call to memcmp.
                var k = 0
                while k < bytes.count { if stored[start + k] != bytes[k] { return false }; k += 1 }
                return true
            }
            return memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inlinable
    static func tag(_ hash: Int) -> UInt8 { UInt8(truncatingIfNeeded: UInt(bitPattern: hash) >> 57) | 0x80 }

    @inlinable @inline(__always)
    public mutating func position(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        // The previous value again (rows of one target follow each other): compared where it
        // is, found without reading `starts`, and without a call (most fields of a large
        // file take this path).
        if last >= 0 && bytes.count == lastCount && stored(at: lastStart, equals: bytes) { return last }
        return lookUpOrAdd(bytes)
    }

    /// A value other than the previous one: found in the table, or added to it.
    @inlinable @inline(never)
    mutating func lookUpOrAdd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let mask = table.count - 1
        let hash = Self.hash(bytes), tag = Self.tag(hash)
        var slot = hash & mask
        while tags[slot] != 0 {
            if tags[slot] == tag && matches(table[slot], bytes) { remember(table[slot]); return last }
            slot = (slot + 1) & mask
        }
        let position = Int32(starts.count - 1)
        strings.append(String(decoding: bytes, as: UTF8.self))
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        table[slot] = position
        tags[slot] = tag
        remember(position)
        if (starts.count - 1) * 2 > table.count { grow() }
        return position
    }

    /// `k` becomes the value compared first, with where its bytes are.
    @inlinable
    mutating func remember(_ k: Int32) {
        last = k
        lastStart = starts[Int(k)]
        lastCount = starts[Int(k) + 1] - lastStart
    }

    public var count: Int { starts.count - 1 }

    /// The values, moved out rather than copied (millions of targets): the table still finds
    /// the values it holds (``lookup(_:)``) and ``count`` is unchanged, but ``values`` is
    /// then empty; add no value after this.
    public mutating func takeValues() -> [String] {
        var taken: [String] = []
        swap(&taken, &strings)
        return taken
    }

    /// The position of a value already in the table, without adding it.
    @inlinable
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let mask = table.count - 1
        let hash = Self.hash(bytes), tag = Self.tag(hash)
        var slot = hash & mask
        while tags[slot] != 0 {
            if tags[slot] == tag && matches(table[slot], bytes) { return table[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Calls `body` with the position and bytes of each value in `positions` (all of them when
    /// nil), in order.
    public func forEach(in positions: Range<Int>? = nil, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        arena.withUnsafeBufferPointer { bytes in
            for k in positions ?? 0..<count { body(k, UnsafeBufferPointer(rebasing: bytes[starts[k]..<starts[k + 1]])) }
        }
    }

    /// The positions, in this table, of every value of `other` (values new to this table are
    /// added in `other`'s order): how two tables built apart are merged.
    public mutating func positions(of other: TextPositions) -> [Int32] {
        other.arena.withUnsafeBufferPointer { bytes in
            (0..<other.count).map { k in position(UnsafeBufferPointer(rebasing: bytes[other.starts[k]..<other.starts[k + 1]])) }
        }
    }

    /// Also by text (values built from several fields, e.g. joined arm columns).
    public mutating func position(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { position($0) }
    }

    @usableFromInline
    mutating func grow() {
        var grown = [Int32](repeating: -1, count: table.count * 2)
        var grownTags = [UInt8](repeating: 0, count: grown.count)
        let mask = grown.count - 1
        arena.withUnsafeBufferPointer { stored in
            for k in 0..<count {
                let hash = Self.hash(UnsafeBufferPointer(rebasing: stored[starts[k]..<starts[k + 1]]))
                var slot = hash & mask
                while grownTags[slot] != 0 { slot = (slot + 1) & mask }
                grown[slot] = Int32(k)
                grownTags[slot] = Self.tag(hash)
            }
        }
        table = grown
        tags = grownTags
    }
}

/// Assigns each distinct value a position, in order of first appearance (for values that
/// are not text: attribute and measure sets).
public struct Positions<Value: Hashable> {
    public private(set) var values: [Value] = []
    private var positions: [Value: Int32] = [:]

    public init() {}

    public mutating func position(_ value: Value) -> Int32 {
        if let known = positions[value] { return known }
        let position = Int32(values.count)
        values.append(value)
        positions[value] = position
        return position
    }
}
