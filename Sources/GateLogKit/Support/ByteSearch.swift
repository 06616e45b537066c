#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search on bytes: `memchr` for the needle's rarest-looking first byte, then `memcmp`.
public enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `haystack`, or nil.
    public static func firstIndex(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard needle.count > 0 else { return 0 }
        guard haystack.count >= needle.count, let base = haystack.baseAddress, let pattern = needle.baseAddress else { return nil }
        let first = Int32(needle[0])
        let lastStart = haystack.count - needle.count
        var offset = 0
        while offset <= lastStart {
            guard let hit = memchr(base + offset, first, lastStart - offset + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, pattern, needle.count) == 0 { return at }
            offset = at + 1
        }
        return nil
    }

    public static func contains(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Bool {
        needle.withUnsafeBytes { firstIndex(of: $0, in: haystack) != nil }
    }

    /// `firstIndex`, but `memchr` looks for the needle's byte at `probe` (one rarer in the haystack than
    /// its first, e.g. not the `"` of a JSON key); the first occurrence all the same.
    static func firstIndex(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer, probing probe: Int) -> Int? {
        guard haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        let byte = Int32(needle[probe])
        let lastStart = haystack.count - needle.count
        var start = 0
        while start <= lastStart {
            guard let hit = memchr(base + start + probe, byte, lastStart - start + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit)) - probe
            if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
            start = at + 1
        }
        return nil
    }
}
