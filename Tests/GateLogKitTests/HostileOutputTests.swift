import Testing
@testable import GateLogKit

/// The output-safety building blocks on their own: redaction shapes, CSV cells, terminal text.
@Suite struct HostileOutputTests {
    @Test(arguments: [
        // (log text, what it must become)
        ("Method request headers: {Accept=*/*, x-api-key=Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz, Host=a.example}",
         "Method request headers: {Accept=*/*, x-api-key=****7Jk9Lz, Host=a.example}"),
        ("Endpoint request headers: {Authorization=AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261120/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef, X-Amz-Date=20261120T100000Z}",
         "Endpoint request headers: {Authorization=****equest, SignedHeaders=host;x-amz-date, Signature=****abcdef, X-Amz-Date=20261120T100000Z}"),
        // An AWS secret access key with neither `+` nor `/` (about a quarter of them) is still a secret.
        (#"{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"x","other":"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd"}"#,
         #"{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"****","other":"****89AbCd"}"#),
        // A token in a path is masked; the path around it is kept.
        ("HTTP Method: GET, Resource Path: /login/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
         "HTTP Method: GET, Resource Path: /login/****dHVyZQ"),
    ])
    func secretsAreMaskedToTheirTail(_ text: String, _ expected: String) {
        #expect(Redactor.redact(text) == expected)
    }

    @Test(arguments: [
        // Paths and ARN resources of 40 (or 100+) base64 characters are not secrets.
        "Method request path: /pets/Abc123/photos/Xyz789/thumbnails/abcd",
        "X-Amz-Source-Arn=arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/GET/widgets/W1dget12345",
        "methodArn arn:aws:execute-api:eu-west-1:123456789012:k7x2mq9zt1/prod/GET/" + String(repeating: "Seg1/", count: 25),
        // Already masked by AWS, and lower-case hex digests.
        "Authorization=****…7c8ada, X-Amz-Security-Token=****…, sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
    ])
    func thingsThatAreNotSecretsAreLeftAlone(_ text: String) {
        #expect(Redactor.redact(text) == text)
    }

    @Test func csvCellsAreQuotedAndCannotStartAFormula() {
        #expect(CSV.cell("=1+2") == "'=1+2")
        #expect(CSV.cell("+SUM(A1)") == "'+SUM(A1)")
        #expect(CSV.cell("-2+3") == "'-2+3")
        #expect(CSV.cell("@cmd") == "'@cmd")
        #expect(CSV.cell("\t=x") == "'\t=x")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("one\r\ntwo") == "\"one\r\ntwo\"", "a CRLF is one Character and still needs quotes")
        #expect(CSV.cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        // Escape sequences are dropped, and what is left is judged as a cell.
        #expect(CSV.cell("\u{1B}]0;pwned\u{07}") == "]0;pwned")
        #expect(CSV.cell("\u{7}\u{1B}=1+1") == "'=1+1", "the formula check sees the cell as it will be written")
        #expect(CSV.cell("/pets/\u{1B}[2J\u{9B}1m") == "/pets/[2J1m")
        #expect(CSV.cell(nil) == "")
        // A comma or quote followed by a combining mark is one Character, but a CSV reader still splits or quotes there.
        #expect(CSV.cell("a,\u{301}b") == "\"a,\u{301}b\"")
        #expect(CSV.cell("say \"\u{301}x") == "\"say \"\"\u{301}x\"")
    }

    @Test func terminalTextDropsEscapesControlsAndBidiOverrides() {
        #expect(TerminalText.sanitize("/pets/\u{1B}]0;pwned\u{07}42") == "/pets/42")
        #expect(TerminalText.sanitize("\u{1B}[2J\u{1B}[1;31mred\u{1B}[0m") == "red")
        #expect(TerminalText.sanitize("a\u{9B}2Jb\u{7F}c\u{0}d") == "a2Jbcd")
        #expect(TerminalText.sanitize("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(TerminalText.sanitize("x\u{2066}y\u{2069}z") == "xyz")
        #expect(TerminalText.sanitize("tab\there\nnext") == "tab here↵next")
        #expect(TerminalText.sanitize("plain café ✓") == "plain café ✓")
    }
}
