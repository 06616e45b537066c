#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Authorizer result bodies seen lately, each held once with its parse. An authorizer returns the same text for the
/// same caller again and again: the text is built as a `String` once and shared by the requests (and cache entries)
/// that logged it, and `AuthorizerPolicy.parse`, a pure function of the text, runs once per text. Keyed by a fast hash
/// of the bytes (verified byte for byte); bounded, and emptied when full.
final class PolicyTextTable {
    // Parallel columns, so that probing reads a hash and compares a text in place, never copying a slot's parse.
    private var occupied: [Bool]
    private var hashes: [UInt64]
    private var texts: [String]
    private var parses: [AuthorizerPolicyParse?]
    private var count = 0
    private let mask: Int
    private let limit: Int

    init(capacity: Int = 4096) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        occupied = Array(repeating: false, count: size)
        hashes = Array(repeating: 0, count: size)
        texts = Array(repeating: "", count: size)
        parses = Array(repeating: nil, count: size)
        mask = size - 1
        limit = capacity
    }

    /// The slot holding `bytes` (whose hash is `hash`), else nil.
    @inline(__always)
    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        var index = Int(truncatingIfNeeded: hash) & mask
        while occupied[index] {
            if hashes[index] == hash, Self.equal(texts[index], bytes) { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    /// The text of `bytes` as `String(decoding:as:)` builds it, shared with earlier requests that logged the same.
    func text(of bytes: UnsafeRawBufferPointer) -> String {
        let hash = Self.hash(bytes)
        if let index = find(bytes, hash: hash) { return texts[index] }
        let text = String(decoding: bytes, as: UTF8.self)
        // Bytes that are not valid UTF-8 decode to other bytes: such texts are not kept (they could not be found).
        if Self.equal(text, bytes) { insert(hash: hash, text: text, parsed: nil) }
        return text
    }

    /// `AuthorizerPolicy.parse(text)`, once per text.
    func parse(_ text: String) -> AuthorizerPolicyParse {
        let kept = text
        var text = text
        return text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            let hash = Self.hash(bytes)
            if let index = find(bytes, hash: hash) {
                if let parsed = parses[index] { return parsed }
                let parsed = AuthorizerPolicy.parse(bytes: bytes)
                parses[index] = parsed
                return parsed
            }
            let parsed = AuthorizerPolicy.parse(bytes: bytes)
            insert(hash: hash, text: kept, parsed: parsed)
            return parsed
        }
    }

    private func insert(hash: UInt64, text: String, parsed: AuthorizerPolicyParse?) {
        if count >= limit {
            for index in occupied.indices where occupied[index] {
                occupied[index] = false
                texts[index] = ""
                parses[index] = nil
            }
            count = 0
        }
        var index = Int(truncatingIfNeeded: hash) & mask
        while occupied[index] { index = (index + 1) & mask }
        occupied[index] = true
        hashes[index] = hash
        texts[index] = text
        parses[index] = parsed
        count += 1
    }

    private static func equal(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { own in
            own.count == bytes.count && (own.count == 0 || memcmp(own.baseAddress!, bytes.baseAddress!, own.count) == 0)
        }
    }

    /// A multiply-xorshift hash over 8-byte words: quick on the few hundred bytes of a policy.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}
