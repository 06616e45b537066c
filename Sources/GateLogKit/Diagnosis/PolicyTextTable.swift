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
    private struct Slot {
        var hash: UInt64
        var text: String
        var parsed: AuthorizerPolicyParse?
    }

    private var slots: [Slot?]
    private var count = 0
    private let mask: Int
    private let limit: Int

    init(capacity: Int = 4096) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        limit = capacity
    }

    /// The text of `bytes` as `String(decoding:as:)` builds it, shared with earlier requests that logged the same.
    func text(of bytes: UnsafeRawBufferPointer) -> String {
        let hash = Self.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[index] {
            if slot.hash == hash, Self.equal(slot.text, bytes) { return slot.text }
            index = (index + 1) & mask
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Bytes that are not valid UTF-8 decode to other bytes: such texts are not kept (they could not be found).
        if Self.equal(text, bytes) { insert(Slot(hash: hash, text: text, parsed: nil)) }
        return text
    }

    /// `AuthorizerPolicy.parse(text)`, once per text.
    func parse(_ text: String) -> AuthorizerPolicyParse {
        let kept = text
        var text = text
        return text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            let hash = Self.hash(bytes)
            var index = Int(truncatingIfNeeded: hash) & mask
            while let slot = slots[index] {
                if slot.hash == hash, Self.equal(slot.text, bytes) {
                    if let parsed = slot.parsed { return parsed }
                    let parsed = AuthorizerPolicy.parse(bytes: bytes)
                    slots[index]!.parsed = parsed
                    return parsed
                }
                index = (index + 1) & mask
            }
            let parsed = AuthorizerPolicy.parse(bytes: bytes)
            insert(Slot(hash: hash, text: kept, parsed: parsed))
            return parsed
        }
    }

    private func insert(_ slot: Slot) {
        if count >= limit {
            for index in slots.indices { slots[index] = nil }
            count = 0
        }
        var index = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[index] != nil { index = (index + 1) & mask }
        slots[index] = slot
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
