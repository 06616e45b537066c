import Foundation
import Testing

/// Secrets as they appear in real execution-log lines (log-formats.md B4/B5/E5/E10 texts), each ending a request
/// so that it is that request's evidence line, plus an access-log record. Every output format must mask them by
/// default and show them with `--no-redact`.
enum SecretLog {
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.SECRETjwtSIGNATUREtokenXYZ"
    static let bodyJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.SECRETbodyJWTsignatureABC"
    static let sessionToken = "IQoJb3JpZ2luX2VjSECRETSESSIONtokenValue0123456789abcdefGHIJKLmnopQRSTuvwxYZ/+SECRETtailQ9"
    static let signature = "9f1c2e3d4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff"
    static let cookie = "session=SECRETcookieValue123"
    static let apiKey = "SECRETapiKEYvalue0987654321zz"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY1"
    static let setCookie = "refresh=SECRETsetCookieVALUE77"
    static let accessToken = "SECRETaccessLogBearer55aa"

    /// Each secret and the masked form it must be shown as.
    static let masked: [(secret: String, mask: String)] = [
        (jwt, "Bearer ****kenXYZ"),
        (bodyJWT, "****ureABC"),
        (sessionToken, "X-Amz-Security-Token=****tailQ9"),
        (signature, "Signature=****ddeeff"),
        (apiKey, "x-api-key=****4321zz"),
        (secretKey, "****ETKEY1"),
        ("SECRETcookieValue123", "Cookie=****e=dark"),
        ("SECRETsetCookieVALUE77", "Set-Cookie=****Secure"),
        (accessToken, "****er55aa"),
    ]

    static let ids = (1...5).map { String(format: "11111111-aaaa-4bbb-8ccc-%012d", $0) }

    static var text: String {
        let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3])
        return """
        2026-11-20T10:00:00.000Z (\(a)) Extended Request Id: AAAAAAAAAAAAAA1=
        2026-11-20T10:00:00.001Z (\(a)) Starting authorizer: 52u008 for request: \(a)
        2026-11-20T10:00:00.002Z (\(a)) Incoming identity: ****************************wef5
        2026-11-20T10:00:00.003Z (\(a)) Endpoint request URI: https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations
        2026-11-20T10:00:00.004Z (\(a)) Endpoint request headers: {x-amzn-lambda-integration-tag=\(a), Authorization=AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEYID1234/20261120/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(signature), X-Amz-Date=20261120T100000Z, x-amzn-apigateway-api-id=k7x2mq9zt1, X-Amz-Source-Arn=arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/authorizers/52u008, Accept=application/json, User-Agent=AmazonAPIGateway_k7x2mq9zt1, X-Amz-Security-Token=\(sessionToken) [TRUNCATED]
        2026-11-20T10:00:00.005Z (\(a)) Endpoint request body after transformations: {"type":"TOKEN","authorizationToken":"Bearer \(jwt)","methodArn":"arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/GET/pets"}
        2026-11-20T10:00:00.101Z (\(b)) Extended Request Id: AAAAAAAAAAAAAA2=
        2026-11-20T10:00:00.102Z (\(b)) Starting execution for request: \(b)
        2026-11-20T10:00:00.103Z (\(b)) HTTP Method: GET, Resource Path: /pets
        2026-11-20T10:00:00.104Z (\(b)) Method request headers: {Accept=application/json, Cookie=\(cookie); theme=dark, Host=k7x2mq9zt1.execute-api.eu-west-1.amazonaws.com, x-api-key=\(apiKey), User-Agent=curl/8.5.0}
        2026-11-20T10:00:00.201Z (\(c)) Extended Request Id: AAAAAAAAAAAAAA3=
        2026-11-20T10:00:00.202Z (\(c)) Starting execution for request: \(c)
        2026-11-20T10:00:00.203Z (\(c)) Method request body before transformations: {"note":"see token \(bodyJWT)","awsSecret":"\(secretKey)"}
        2026-11-20T10:00:00.301Z (\(d)) Extended Request Id: AAAAAAAAAAAAAA4=
        2026-11-20T10:00:00.302Z (\(d)) Starting execution for request: \(d)
        2026-11-20T10:00:00.303Z (\(d)) Method response headers: {Content-Type=application/json, Set-Cookie=\(setCookie); HttpOnly; Secure}

        """
    }

    /// An access-log record whose custom format logs the caller's Authorization header.
    static var accessLog: String {
        #"{"requestId":"\#(ids[4])","ip":"198.51.100.7","httpMethod":"GET","resourcePath":"/pets","status":"401","responseType":"UNAUTHORIZED","errorMessage":"Unauthorized","authorization":"Bearer \#(accessToken)"}"# + "\n"
    }
}

@Suite(.serialized) struct RedactionEndToEndTests {
    static func files() throws -> (HostileFolder, String, String) {
        let folder = try HostileFolder()
        let log = try folder.write("secrets.log", SecretLog.text)
        let access = try folder.write("access.jsonl", SecretLog.accessLog)
        return (folder, log, access)
    }

    /// Every output of gatelog that carries log text, for the secret log.
    static func outputs(_ log: String, _ access: String, extra: [String] = []) throws -> [(name: String, text: String)] {
        var outputs: [(String, String)] = []
        for format in ["jsonl", "csv", "text"] {
            let result = try Executable.run(["requests", log, access, "--format", format] + extra)
            #expect(result.exitCode == 0, "requests \(format): \(result.stderr)")
            outputs.append(("requests \(format)", result.stdout))
        }
        for format in ["text", "json"] {
            for id in SecretLog.ids {
                let result = try Executable.run(["trace", id, log, access, "--format", format] + extra)
                #expect(result.exitCode == 0, "trace \(id) \(format): \(result.stderr)")
                outputs.append(("trace \(id) \(format)", result.stdout))
            }
        }
        for format in ["text", "json"] {
            let result = try Executable.run(["report", log, access, "--format", format] + extra)
            #expect(result.exitCode == 0)
            outputs.append(("report \(format)", result.stdout))
        }
        return outputs
    }

    @Test func everySecretShapeIsMaskedInEveryOutput() throws {
        let (folder, log, access) = try Self.files()
        _ = folder
        let outputs = try Self.outputs(log, access)
        for (name, text) in outputs {
            for (secret, _) in SecretLog.masked {
                #expect(!text.contains(secret), "\(name) shows \(secret)")
            }
            #expect(!text.contains("SECRET"), "\(name) shows part of a secret")
        }
        // Masked to AWS's own form, in the line that carried the secret: requests text (evidence) and traces.
        let all = outputs.map(\.text).joined(separator: "\n")
        for (_, mask) in SecretLog.masked {
            #expect(all.contains(mask), "\(mask) is shown")
        }
        let requestsText = try #require(outputs.first { $0.name == "requests text" }).text
        #expect(requestsText.contains(#""authorizationToken":"Bearer ****kenXYZ""#))
        #expect(requestsText.contains("Cookie=****e=dark, Host=k7x2mq9zt1.execute-api.eu-west-1.amazonaws.com, x-api-key=****4321zz, User-Agent=curl/8.5.0}"))
        // Principal-like values and masks AWS already wrote are left as they are.
        let trace = try #require(outputs.first { $0.name == "trace \(SecretLog.ids[0]) text" }).text
        #expect(trace.contains("Incoming identity: ****wef5"))
        #expect(trace.contains("X-Amz-Source-Arn=arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/authorizers/52u008"))
    }

    @Test func noRedactShowsThemAsLogged() throws {
        let (folder, log, access) = try Self.files()
        _ = folder
        let outputs = try Self.outputs(log, access, extra: ["--no-redact"])
        let requestsText = try #require(outputs.first { $0.name == "requests jsonl" }).text
        for secret in [SecretLog.jwt, SecretLog.bodyJWT, SecretLog.cookie, SecretLog.apiKey, SecretLog.secretKey, SecretLog.setCookie] {
            #expect(requestsText.contains(secret), "requests jsonl --no-redact shows \(secret)")
        }
        let traceA = try #require(outputs.first { $0.name == "trace \(SecretLog.ids[0]) json" }).text
        #expect(traceA.contains(SecretLog.sessionToken))
        #expect(traceA.contains(SecretLog.signature))
        let traceE = try #require(outputs.first { $0.name == "trace \(SecretLog.ids[4]) text" }).text
        #expect(traceE.contains(SecretLog.accessToken))
    }

    @Test func aTokenInTheURLPathIsMaskedInPathAndRoute() throws {
        let folder = try HostileFolder()
        let id = "11111111-aaaa-4bbb-8ccc-000000000009"
        let log = try folder.write("magic-link.log", """
            2026-11-20T10:00:00.102Z (\(id)) Starting execution for request: \(id)
            2026-11-20T10:00:00.103Z (\(id)) HTTP Method: GET, Resource Path: /login/\(SecretLog.jwt)
            2026-11-20T10:00:00.104Z (\(id)) Method completed with status: 302

            """)
        let masked = try Executable.run(["requests", log])
        let record = try #require(try Executable.jsonLines(masked.stdout).first)
        #expect(record["path"] as? String == "/login/****kenXYZ")
        #expect(record["route"] as? String == "GET /login/****kenXYZ")
        let report = try Executable.run(["report", log, "--format", "json"])
        #expect(!report.stdout.contains("SECRET"))
        let plain = try Executable.run(["requests", log, "--no-redact"])
        #expect(try Executable.jsonLines(plain.stdout).first?["path"] as? String == "/login/\(SecretLog.jwt)")
    }
}

/// Log text is attacker-controlled: outputs must not let it drive a terminal, run as a spreadsheet formula, or break
/// JSON.
@Suite(.serialized) struct OutputSafetyEndToEndTests {
    static let id = "11111111-aaaa-4bbb-8ccc-0000000000e5"

    static func hostileLog(in folder: HostileFolder) throws -> String {
        let id = Self.id
        var bytes = Array("""
            2026-11-20T10:00:00.101Z (\(id)) Extended Request Id: \u{1B}]0;pwned\u{07}Q1=
            2026-11-20T10:00:00.102Z (\(id)) Starting execution for request: \(id)
            2026-11-20T10:00:00.103Z (\(id)) HTTP Method: GET, Resource Path: /pets/\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}gpj.exe
            """.utf8)
        bytes += Array("\n2026-11-20T10:00:00.104Z (\(id)) Method request headers: {name=caf".utf8) + [0xE9, 0xFF] + Array("}\n".utf8)
        // The last line (the evidence of this incomplete request) tries a formula, colours and a C1 CSI.
        bytes += Array("""
            2026-11-20T10:00:00.105Z (\(id)) Method request body before transformations: =HYPERLINK("http://evil.example","x") \u{1B}[31mred\u{1B}[0m \u{9B}2J

            """.utf8)
        return try folder.write("hostile.log", bytes)
    }

    static func assertTerminalSafe(_ text: String, _ what: String) {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let control = (v < 0x20 && v != 0x0A) || (v >= 0x7F && v < 0xA0) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            #expect(!control, "\(what): U+\(String(v, radix: 16)) reaches the terminal")
        }
        #expect(!text.contains("\u{1B}"))
    }

    @Test func terminalOutputsCarryNoEscapeOrControlSequences() throws {
        let folder = try HostileFolder()
        let log = try Self.hostileLog(in: folder)
        let requests = try Executable.run(["requests", log, "--format", "text", "--color", "never"])
        let trace = try Executable.run(["trace", Self.id, log, "--color", "never"])
        let report = try Executable.run(["report", log, "--color", "never"])
        for (name, result) in [("requests text", requests), ("trace text", trace), ("report text", report)] {
            #expect(result.exitCode == 3, "\(name): the invalid UTF-8 is reported")
            Self.assertTerminalSafe(result.stdout, name)
            Self.assertTerminalSafe(result.stderr, name + " (stderr)")
        }
        // What remains is the readable text, escapes removed and bidi override dropped.
        #expect(requests.stdout.contains("GET /pets/gpj.exe"))
        #expect(trace.stdout.contains("red"))
        #expect(trace.stdout.contains("caf\u{FFFD}\u{FFFD}"))
    }

    @Test func csvCellsCannotRunFormulasOrDriveTheTerminal() throws {
        let folder = try HostileFolder()
        let log = try Self.hostileLog(in: folder)
        let access = try folder.write("access.jsonl",
            #"{"requestId":"11111111-aaaa-4bbb-8ccc-0000000000e6","ip":"203.0.113.9","httpMethod":"GET","resourcePath":"/pets","path":"/prod/pets","status":"403","responseType":"WAF_FILTERED","principalId":"=cmd|' /C calc'!A0"}"# + "\n"
                + #"{"requestId":"11111111-aaaa-4bbb-8ccc-0000000000e7","ip":"203.0.113.9","httpMethod":"GET","resourcePath":"/pets","path":"/prod/pets","status":"403","responseType":"WAF_FILTERED","principalId":"@SUM(1+1)"}"# + "\n"
                + #"{"requestId":"11111111-aaaa-4bbb-8ccc-0000000000e8","ip":"203.0.113.9","httpMethod":"GET","resourcePath":"/pets","path":"/prod/pets","status":"403","responseType":"WAF_FILTERED","principalId":"+1+1"}"# + "\n"
                + #"{"requestId":"11111111-aaaa-4bbb-8ccc-0000000000e9","ip":"203.0.113.9","httpMethod":"GET","resourcePath":"/pets","path":"/prod/pets","status":"403","responseType":"WAF_FILTERED","principalId":"-2+3"}"# + "\n")
        let result = try Executable.run(["requests", access, log, "--format", "csv"])
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{07}"))
        let rows = parseCSV(result.stdout)
        #expect(rows.count == 6)
        let header = rows[0]
        #expect(rows.allSatisfy { $0.count == header.count }, "every row has every column (quoting holds)")
        let principal = try #require(header.firstIndex(of: "principal"))
        let requestId = try #require(header.firstIndex(of: "requestId"))
        func row(_ idSuffix: String) -> [String] { rows.first { $0[requestId].hasSuffix(idSuffix) } ?? [] }
        #expect(["e6", "e7", "e8", "e9"].map { row($0).count > principal ? row($0)[principal] : "?" }
                == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'+1+1", "'-2+3"])
        for row in rows.dropFirst() {
            for cell in row { #expect(!(cell.first.map { "=+-@".contains($0) } ?? false), "cell \(cell.debugDescription)") }
        }
        // Evidence with quotes, commas and newlines stays one cell.
        let evidence = try #require(header.firstIndex(of: "evidence"))
        // (Colour codes were already removed on input, as for `aws logs tail` output; the C1 CSI is dropped here.)
        #expect(row("e5")[evidence].contains(#" Method request body before transformations: =HYPERLINK("http://evil.example","x") red 2J"# + "\n"))
    }

    @Test func jsonOutputsStayValidUTF8ForInvalidInputBytes() throws {
        let folder = try HostileFolder()
        let log = try Self.hostileLog(in: folder)
        let requests = try Executable.runRaw(["requests", log, "--format", "jsonl"])
        let trace = try Executable.runRaw(["trace", Self.id, log, "--format", "json"])
        let report = try Executable.runRaw(["report", log, "--format", "json"])
        for (name, bytes) in [("requests jsonl", requests), ("trace json", trace), ("report json", report)] {
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(name) is valid UTF-8")
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "\(name) escapes control characters")
        }
        let traceJSON = try JSONSerialization.jsonObject(with: Data(trace)) as! [String: Any]
        let texts = (traceJSON["lines"] as! [[String: Any]]).map { $0["text"] as! String }
        #expect(texts.contains { $0.contains("caf\u{FFFD}\u{FFFD}") })
        #expect(texts.contains { $0.contains("/pets/\u{1B}]0;pwned\u{07}") }, "JSON keeps the text, escaped")
        let line = String(decoding: requests, as: UTF8.self)
        #expect(line.contains(#"\u001b]0;pwned\u0007"#))
    }
}

extension Executable {
    /// Standard output as raw bytes (to check its encoding).
    static func runRaw(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}

/// RFC 4180 rows (quoted cells may hold commas, quotes doubled, and line breaks).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar?
    while let c = pending ?? iterator.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else { quoted = false }
            } else {
                cell.unicodeScalars.append(c)
            }
            continue
        }
        switch c {
        case "\"": quoted = true
        case ",": row.append(cell); cell = ""
        case "\r": continue
        case "\n": row.append(cell); rows.append(row); row = []; cell = ""
        default: cell.unicodeScalars.append(c)
        }
    }
    if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
    return rows
}
