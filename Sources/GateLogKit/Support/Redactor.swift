/// Masks secrets in log text the way AWS masks them: a run of `*` and the last six characters (`****abc123`).
///
/// Covers JWTs, `Bearer` tokens, the authorizer event's `authorizationToken`, and the values of `Authorization`,
/// `X-Amz-Security-Token`, `Cookie`, `Set-Cookie`, `x-api-key` and signature parameters in header maps
/// (`{Key=Value, …}`), JSON (`"key":"value"`) and query strings, plus base64 runs that look like AWS secret keys
/// (exactly 40 characters) or session tokens (100 or more) — mixing digits, upper and lower case, and not a path or
/// an ARN's resource part. Values AWS already masked are left as they are. Applied once, when a verdict or trace line
/// is built.
public enum Redactor {
    static let secretKeys: [[UInt8]] = [
        "authorization", "x-amz-security-token", "cookie", "set-cookie", "x-api-key", "authorizationtoken",
        "x-amz-signature", "x-amz-credential", "signature", "token", "access_token", "id_token", "refresh_token", "apikey", "api_key",
        "password", "client_secret", "aws_secret_access_key", "secretaccesskey", "sessiontoken",
    ].map { Array($0.utf8) }

    public static func mask(_ value: some StringProtocol) -> String {
        let tail = value.suffix(6)
        return value.count <= 6 ? "****" : "****" + tail
    }

    public static func redact(_ text: String) -> String {
        guard text.utf8.count >= 8 else { return text }
        let worthScanning = text.utf8.withContiguousStorageIfAvailable { mayHoldSecret(UnsafeRawBufferPointer($0)) } ?? true
        guard worthScanning else { return text }
        return scanned(text)
    }

    /// `redact` without the pre-check: every rule tried at every position.
    static func scanned(_ text: String) -> String {
        let input = Array(text.utf8)
        guard input.count >= 8 else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        var changed = false
        while i < input.count {
            // key=value / "key":"value" / key: value
            if isKeyStart(input, i), let (keyEnd, valueStart, valueEnd) = secretAssignment(input, at: i) {
                out.append(contentsOf: input[i..<valueStart])
                let value = input[valueStart..<valueEnd]
                if value.first == 0x2A || value.isEmpty {
                    out.append(contentsOf: value)
                } else {
                    let tokenStart = bearerPrefixLength(value)
                    out.append(contentsOf: value.prefix(tokenStart))
                    out.append(contentsOf: maskBytes(value.dropFirst(tokenStart)))
                    changed = true
                }
                _ = keyEnd
                i = valueEnd
                continue
            }
            // JWT: eyJ….….…
            if input[i] == 0x65, i + 3 < input.count, input[i + 1] == 0x79, input[i + 2] == 0x4A, (i == 0 || !isTokenByte(input[i - 1])) {
                var j = i
                var dots = 0
                while j < input.count, isTokenByte(input[j]) || input[j] == 0x2E {
                    if input[j] == 0x2E { dots += 1 }
                    j += 1
                }
                if dots >= 2, j - i >= 20 {
                    out.append(contentsOf: maskBytes(input[i..<j]))
                    changed = true
                    i = j
                    continue
                }
            }
            // Long base64 runs: secret access keys (40) and session tokens.
            if isBase64Byte(input[i]), i == 0 || !isBase64Byte(input[i - 1]) {
                var j = i
                var hasDigit = false, hasUpper = false, hasLower = false
                while j < input.count, isBase64Byte(input[j]) {
                    let b = input[j]
                    if b >= 0x30 && b <= 0x39 { hasDigit = true } else if b >= 0x41 && b <= 0x5A { hasUpper = true }
                    else if b >= 0x61 && b <= 0x7A { hasLower = true }
                    j += 1
                }
                let length = j - i
                // A path (`/pets/…`) or the resource part of an ARN (`…:abc123/prod/GET/…`) is not a secret: runs
                // that start with `/` or follow `:` or `/` are left alone, whatever their length.
                let pathLike = input[i] == 0x2F || (i > 0 && (input[i - 1] == 0x3A || input[i - 1] == 0x2F))
                let looksSecret = !pathLike && hasDigit && hasUpper && hasLower && (length == 40 || length >= 100)
                if looksSecret {
                    out.append(contentsOf: maskBytes(input[i..<j]))
                    changed = true
                    i = j
                    continue
                }
                // A JWT can sit inside such a run, after a `/` (`/login/eyJ…`): stop there so the JWT rule sees it.
                var k = i + 1
                while k + 2 < j, !(input[k] == 0x65 && input[k + 1] == 0x79 && input[k + 2] == 0x4A && !isTokenByte(input[k - 1])) {
                    k += 1
                }
                let end = k + 2 < j ? k : j
                out.append(contentsOf: input[i..<end])
                i = end
                continue
            }
            out.append(input[i])
            i += 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// False only when no rule of `redact` can fire on `text`: it holds no `eyJ` (a JWT's start), no run of 40 or more
    /// base64 bytes, and no `=` or `:` that follows (past blanks and a closing quote) a secret key. Most log lines
    /// and derived paths are told apart in one pass, without copying them.
    static func mayHoldSecret(_ text: UnsafeRawBufferPointer) -> Bool {
        var run = 0
        var i = 0
        let count = text.count
        while i < count {
            let b = text[i]
            if isBase64Byte(b) {
                run += 1
                if run >= 40 { return true }
                if b == 0x65, i + 2 < count, text[i + 1] == 0x79, text[i + 2] == 0x4A { return true }
            } else {
                run = 0
                if (b == 0x3D || b == 0x3A) && followsSecretKey(text, before: i) { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether the token before `end` (past blanks and one quote) is one of `secretKeys`, in any case.
    private static func followsSecretKey(_ text: UnsafeRawBufferPointer, before end: Int) -> Bool {
        var keyEnd = end
        while keyEnd > 0, text[keyEnd - 1] == 0x20 { keyEnd -= 1 }
        if keyEnd > 0, text[keyEnd - 1] == 0x22 { keyEnd -= 1 }
        var keyStart = keyEnd
        while keyStart > 0, isTokenByte(text[keyStart - 1]) { keyStart -= 1 }
        let length = keyEnd - keyStart
        guard length >= 5, length <= 32 else { return false }
        for key in secretKeys where key.count == length {
            var same = true
            for offset in 0..<length {
                let c = text[keyStart + offset]
                if (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != key[offset] { same = false; break }
            }
            if same { return true }
        }
        return false
    }

    private static func maskBytes(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var visible = Array(value)
        while let last = visible.last, last == 0x20 { visible.removeLast() }
        let stars: [UInt8] = [0x2A, 0x2A, 0x2A, 0x2A]
        return visible.count <= 6 ? stars : stars + visible.suffix(6)
    }

    private static func bearerPrefixLength(_ value: ArraySlice<UInt8>) -> Int {
        let lower = value.prefix(7).map { $0 | 0x20 }
        if lower.count == 7, lower == Array("bearer ".utf8) { return 7 }
        if lower.count >= 6, Array(lower.prefix(6)) == Array("basic ".utf8) { return 6 }
        return 0
    }

    @inline(__always) private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
    }

    @inline(__always) private static func isBase64Byte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2B || b == 0x2F
    }

    @inline(__always) private static func isKeyStart(_ input: [UInt8], _ i: Int) -> Bool {
        let b = input[i]
        guard b == 0x22 || isTokenByte(b) else { return false }
        return i == 0 || !isTokenByte(input[i - 1]) && input[i - 1] != 0x2D
    }

    /// When a secret key starts at `i` and is followed by `=`, `:` or `":"`, the value's range.
    private static func secretAssignment(_ input: [UInt8], at i: Int) -> (Int, Int, Int)? {
        var start = i
        let quoted = input[i] == 0x22
        if quoted { start += 1 }
        var end = start
        while end < input.count, isTokenByte(input[end]) { end += 1 }
        guard end > start, end - start <= 32 else { return nil }
        let key = input[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard secretKeys.contains(where: { $0 == key }) else { return nil }
        var j = end
        if quoted {
            guard j < input.count, input[j] == 0x22 else { return nil }
            j += 1
        }
        while j < input.count, input[j] == 0x20 { j += 1 }
        guard j < input.count, input[j] == 0x3D || input[j] == 0x3A else { return nil }
        j += 1
        while j < input.count, input[j] == 0x20 { j += 1 }
        var valueQuoted = false
        if j < input.count, input[j] == 0x22 {
            valueQuoted = true
            j += 1
        }
        let valueStart = j
        var k = j
        if valueQuoted {
            while k < input.count, input[k] != 0x22 {
                if input[k] == 0x5C { k += 1 }
                k += 1
            }
            k = min(k, input.count)
        } else {
            // Header-map values run to the next ", Key=" or the closing brace; query values to & or whitespace.
            while k < input.count {
                let b = input[k]
                if b == 0x7D || b == 0x26 || b == 0x0A || b == 0x3B && key != Array("cookie".utf8) && key != Array("set-cookie".utf8) { break }
                if b == 0x2C, k + 1 < input.count, input[k + 1] == 0x20, nextIsMapKey(input, k + 2) { break }
                if b == 0x20, k + 1 < input.count, input[k + 1] == 0x5B { break }  // " [TRUNCATED]"
                if b == 0x20, key != Array("authorization".utf8), key != Array("cookie".utf8), key != Array("set-cookie".utf8) { break }
                k += 1
            }
        }
        guard k > valueStart else { return nil }
        return (end, valueStart, k)
    }

    private static func nextIsMapKey(_ input: [UInt8], _ i: Int) -> Bool {
        var j = i
        while j < input.count, isTokenByte(input[j]) || input[j] == 0x2E { j += 1 }
        return j > i && j < input.count && input[j] == 0x3D
    }
}
