import Foundation

// The CSV reader's byte scans, sixteen bytes at a time (SIMD): counting line breaks to cut a
// large file in two halves, and looking for control characters before reading it.

extension CSVRows {
    /// The number of LF bytes, sixteen at a time (this runs over half of a large file): a
    /// lane of a comparison mask is 0xFF (−1) when true, so subtracting masks counts in each
    /// lane, up to 255 blocks before the lanes are summed.
    static func lineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0, i = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let lf = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
            while i + 16 <= bytes.count {
                var lanes = SIMD16<UInt8>(), blocks = 0
                while blocks < 255 && i + 16 <= bytes.count {
                    lanes &-= unsafeBitCast(raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== lf, to: SIMD16<UInt8>.self)
                    i += 16
                    blocks += 1
                }
                count += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
            }
        }
        while i < bytes.count { if bytes[i] == UInt8(ascii: "\n") { count += 1 }; i += 1 }
        return count
    }

    /// Whether any byte is a C0 control other than tab, LF and CR, or DEL (C1 controls are
    /// checked with the UTF-8 of non-ASCII fields). Sixteen bytes at a time.
    static func containsControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var found = SIMDMask<SIMD16<Int8>>(repeating: false)
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let space = SIMD16<UInt8>(repeating: 0x20), tab = SIMD16<UInt8>(repeating: 0x09), lf = SIMD16<UInt8>(repeating: 0x0A)
            let cr = SIMD16<UInt8>(repeating: 0x0D), del = SIMD16<UInt8>(repeating: 0x7F)
            while i + 16 <= bytes.count {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                found = found .| ((v .< space) .& .!((v .== tab) .| (v .== lf) .| (v .== cr))) .| (v .== del)
                i += 16
            }
        }
        var tail = false
        while i < bytes.count {
            let byte = bytes[i]
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F { tail = true }
            i += 1
        }
        return any(found) || tail
    }
}
