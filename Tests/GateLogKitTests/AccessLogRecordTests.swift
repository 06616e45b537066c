import Testing
@testable import GateLogKit

/// Real and preset access-log records from log-formats.md §5 and §8.
@Suite struct AccessLogRecordTests {
    // log-formats.md §5.3, lab report 2026, fetched with `aws logs tail` (detailed format).
    static let wafBlockTail = #"2026-07-02T11:54:48.684000+00:00 7acf7f23e51928a2150f1b05c27ebbfe {"apiId":"o5p491t2v9","dynamoDBErrorMessage":"-","dynamoDBItemId":"-","dynamoDBOperation":"-","dynamoDBTableName":"-","errorMessage":"Forbidden","extendedRequestId":"f4GtaFqHvHcEMuw=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","protocol":"HTTP/1.1","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","requestTime":"02/Jul/2026:11:54:48 +0000","requestTimeEpoch":"1782993288684","resourcePath":"/PythonResource","responseLength":"23","sourceIp":"76.33.40.125","stage":"prod","status":"403","userAgent":"curl/8.13.0","wafLatency":"4","wafResponseCode":"WAF_BLOCK","wafStatus":"403","webAclArn":"arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#
    static let cognito401Tail = #"2026-07-02T11:54:44.094000+00:00 938e048323d4ebc7c85671187092a0c1 {"apiId":"o5p491t2v9","dynamoDBErrorMessage":"-","dynamoDBItemId":"-","dynamoDBOperation":"-","dynamoDBTableName":"-","errorMessage":"Unauthorized","extendedRequestId":"f4GssEp9vHcEbdQ=","httpMethod":"GET","integrationLatency":"-","integrationStatus":"-","path":"/prod/PythonResource","protocol":"HTTP/1.1","requestId":"60838619-695e-45bc-8d3d-331626f88932","requestTime":"02/Jul/2026:11:54:44 +0000","requestTimeEpoch":"1782993284094","resourcePath":"/PythonResource","responseLength":"26","sourceIp":"76.33.40.125","stage":"prod","status":"401","userAgent":"curl/8.13.0","wafLatency":"6","wafResponseCode":"WAF_ALLOW","wafStatus":"200","webAclArn":"arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130"}"#

    // log-formats.md §5.3, DataBiosphere/azul#6284 (Logs Insights), completed after the excerpt's `…` with the same key style.
    static let azulTimeout = #"{"accountId": "542754589326", "apiId": "ccp122p730", "authorizer_claims_property": "-", "authorizer_error": "-", "authorizer_principalId": "-", "authorizer_property": "-", "awsEndpointRequestId": "-", "awsEndpointRequestId2": "-", "customDomain_basePathMatched": "(none)", "dataProcessed": "-", "domainName": "service.azul.data.humancellatlas.org", "domainPrefix": "service", "error_message": "Endpoint request timed out", "error_messageString": " "Endpoint request timed out"", "error_responseType": "INTEGRATION_TIMEOUT", "extendedRequestId": "YIwYiFstIAMESqA=", "httpMethod": "POST", "identity_sourceIp": "203.0.113.9", "integrationErrorMessage": "-", "integrationLatency": "29012", "integrationStatus": "-", "path": "/index/files", "requestId": "4c7f2bd6-1f9e-4a52-9d0c-2f5f0c1d8b3a", "requestTimeEpoch": "1711570000123", "resourcePath": "/{proxy+}", "stage": "prod", "status": "504"}"#

    /// Splits an `aws logs tail` detailed line as `^(\S+) (\S+) (.*)$` and returns the message.
    private func tailMessage(_ line: String) -> String {
        let parts = line.split(separator: " ", maxSplits: 2)
        return String(parts[2])
    }

    private func parse(_ text: String) throws -> AccessLogRecord {
        try #require(AccessLogRecord.parse(text))
    }

    // MARK: Real JSON lines

    @Test func wafBlockFromTheLabReport() throws {
        let r = try parse(tailMessage(Self.wafBlockTail))
        #expect(r.format == .json)
        #expect(r.requestId == "0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
        #expect(r.extendedRequestId == "f4GtaFqHvHcEMuw=")
        #expect(r.apiId == "o5p491t2v9")
        #expect(r.stage == "prod")
        #expect(r.httpMethod == "GET")
        #expect(r.resourcePath == "/PythonResource")
        #expect(r.path == "/prod/PythonResource")
        #expect(r.pathWithoutStage == "/PythonResource")
        #expect(r.status == 403)
        #expect(r.responseLength == 23)
        #expect(r.errorMessage == "Forbidden")
        #expect(r.responseType == nil)
        #expect(r.wafResponseCode == "WAF_BLOCK")
        #expect(r.wafStatus == 403)
        #expect(r.wafLatency == 4)
        #expect(r.webaclArn == "arn:aws:wafv2:us-west-2:015195098145:regional/webacl/taaops-lambda-waf-cf-waf01/e08ce45f-fef1-470f-9ad4-e049ad9d3130")
        #expect(r.integrationLatency == nil)
        #expect(r.integrationStatus == nil)
        #expect(r.sourceIp == "76.33.40.125")
        #expect(r.userAgent == "curl/8.13.0")
        #expect(r.protocol == "HTTP/1.1")
        #expect(r.requestTime == "02/Jul/2026:11:54:48 +0000")
        #expect(r.timestamp == 1_782_993_288_684)
        #expect(r.isGatewayRejection)
        #expect(!r.isBackendResponse)
        #expect(!r.isHTTPAPI)
        #expect(r.accessDeniedKind == nil)
        #expect(!r.isSignatureError)
        #expect(!r.isCognitoTokenMessage)
        // Raw fields keep the user's keys and the `-` placeholders.
        #expect(r.fields["dynamoDBOperation"] == "-")
        #expect(r.fields["webAclArn"]?.hasPrefix("arn:aws:wafv2:") == true)
        #expect(r.fields.count == 25)
    }

    @Test func unauthorizedFromTheLabReport() throws {
        let r = try parse(tailMessage(Self.cognito401Tail))
        #expect(r.requestId == "60838619-695e-45bc-8d3d-331626f88932")
        #expect(r.status == 401)
        #expect(r.responseLength == 26)
        #expect(r.errorMessage == "Unauthorized")
        #expect(r.wafResponseCode == "WAF_ALLOW")
        #expect(r.wafStatus == 200)
        #expect(r.timestamp == 1_782_993_284_094)
        #expect(r.isGatewayRejection)
        // Nothing in this record says Cognito: no claims, no authenticate.* fields.
        #expect(!r.isCognitoTokenMessage)
    }

    @Test func integrationTimeoutWithInvalidMessageStringJSON() throws {
        let r = try parse(Self.azulTimeout)
        #expect(r.requestId == "4c7f2bd6-1f9e-4a52-9d0c-2f5f0c1d8b3a")
        #expect(r.responseType == "INTEGRATION_TIMEOUT")
        #expect(r.errorMessage == "Endpoint request timed out")
        #expect(r.errorMessageString == "Endpoint request timed out")
        #expect(r.fields["error_messageString"] == #" "Endpoint request timed out""#)
        // Keys after the broken value are still read.
        #expect(r.extendedRequestId == "YIwYiFstIAMESqA=")
        #expect(r.httpMethod == "POST")
        #expect(r.status == 504)
        #expect(r.accountId == "542754589326")
        #expect(r.domainName == "service.azul.data.humancellatlas.org")
        #expect(r.sourceIp == "203.0.113.9")
        #expect(r.integrationLatency == 29012)
        #expect(r.authorizerError == nil)
        #expect(r.principalId == nil)
        #expect(!r.hasCognitoClaims)  // authorizer_claims_property is "-"
        #expect(r.fields["customDomain_basePathMatched"] == "(none)")
        #expect(r.pathWithoutStage == "/index/files")  // custom domain: no stage prefix to strip
        #expect(r.timestamp == 1_711_570_000_123)
        #expect(r.isGatewayRejection)
    }

    @Test func unescapedQuotesAtTheEndOfTheObjectAndWithoutSpaces() throws {
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"403","msg":""Forbidden""}"#)
        #expect(r.errorMessage == "Forbidden")
        #expect(r.status == 403)

        let s = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","errMsgString":""Missing Authentication Token"","responseType":"MISSING_AUTHENTICATION_TOKEN","status":403,}"#)
        #expect(s.errorMessage == "Missing Authentication Token")
        #expect(s.responseType == "MISSING_AUTHENTICATION_TOKEN")
        #expect(s.status == 403)
    }

    @Test func messageStringWrittenUnquotedIsValidJSON() throws {
        // `"msg": $context.error.messageString` (no quotes in the template) is valid JSON.
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"500","error":{"messageString":"Internal server error","responseType":"INTEGRATION_FAILURE"},"integrationErrorMessage":"Execution failed due to configuration error: Rate Exceeded."}"#)
        #expect(r.errorMessageString == "Internal server error")
        #expect(r.errorMessage == "Internal server error")
        #expect(r.responseType == "INTEGRATION_FAILURE")
        #expect(r.integrationErrorMessage == "Execution failed due to configuration error: Rate Exceeded.")
        // A messageString of null means no error.
        let ok = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"200","error.messageString":null,"errorMessageStringQuoted":"-"}"#)
        #expect(ok.errorMessageString == nil)
        #expect(ok.errorMessage == nil)
    }

    // MARK: Key styles and value types

    @Test func nestedObjects() throws {
        let r = try parse("""
        {"requestId":"b1c2d3e4-0000-4000-8000-000000000001","httpMethod":"DELETE","status":403,
         "error":{"responseType":"ACCESS_DENIED","message":"User is not authorized to access this resource with an explicit deny"},
         "authorizer":{"principalId":"user|a1b2c3","error":"-","status":200,"latency":12,"requestId":"9f0e1d2c-aaaa-bbbb-cccc-ddddeeeeffff","integrationStatus":200},
         "authorize":{"status":403,"error":"-","latency":0},
         "waf":{"status":"-"},
         "identity":{"sourceIp":"198.51.100.4","caller":"-","user":"-","apiKeyId":"k3y1d"},
         "integration":{"status":"-","latency":"-","error":"-"}}
        """)
        #expect(r.responseType == "ACCESS_DENIED")
        #expect(r.errorMessage == "User is not authorized to access this resource with an explicit deny")
        #expect(r.principalId == "user|a1b2c3")
        #expect(r.authorizerError == nil)
        #expect(r.authorizerStatus == 200)
        #expect(r.authorizerLatency == 12)
        #expect(r.authorizerRequestId == "9f0e1d2c-aaaa-bbbb-cccc-ddddeeeeffff")
        #expect(r.authorizerIntegrationStatus == 200)
        #expect(r.authorizeStatus == 403)
        #expect(r.authorizeLatency == 0)
        #expect(r.wafStatus == nil)
        #expect(r.sourceIp == "198.51.100.4")
        #expect(r.caller == nil)
        #expect(r.apiKeyId == "k3y1d")
        #expect(r.integrationStatus == nil)
        #expect(r.fields["authorizer.principalId"] == "user|a1b2c3")
        #expect(r.fields["error.responseType"] == "ACCESS_DENIED")
        #expect(r.accessDeniedKind == .authorizer(explicit: true))
        #expect(r.isGatewayRejection)
    }

    @Test func dottedUnderscoredAndContextPrefixedKeysMeanTheSame() throws {
        let id = "0afb41b6-60d7-4a56-bf47-acf1fbcabec4"
        let spellings = [
            #"{"requestId":"\#(id)","error.responseType":"WAF_FILTERED","waf.status":"403","authorizer.error":"boom"}"#,
            #"{"request_id":"\#(id)","error_responseType":"WAF_FILTERED","waf_status":"403","authorizer_error":"boom"}"#,
            #"{"requestid":"\#(id)","errorResponseType":"WAF_FILTERED","wafStatus":403,"authorizerError":"boom"}"#,
            #"{"$context.requestId":"\#(id)","$context.error.responseType":"WAF_FILTERED","context.waf.status":"403","Authorizer-Error":"boom"}"#,
            #"{"reqId":"\#(id)","gatewayResponseType":"WAF_FILTERED","WAF_STATUS":"403","authorizer":{"error":"boom"}}"#,
        ]
        for text in spellings {
            let r = try parse(text)
            #expect(r.requestId == id, "\(text)")
            #expect(r.responseType == "WAF_FILTERED", "\(text)")
            #expect(r.wafStatus == 403, "\(text)")
            #expect(r.authorizerError == "boom", "\(text)")
        }
    }

    @Test func explicitErrorFieldsBeatALooseMessageField() throws {
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","message":"request done","status":"403","error_message":"Missing Authentication Token"}"#)
        #expect(r.errorMessage == "Missing Authentication Token")
        let loose = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"429","message":"Too Many Requests"}"#)
        #expect(loose.errorMessage == "Too Many Requests")
    }

    @Test func numbersStringsDashesAndNulls() throws {
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":502,"responseLength":"36","integrationStatus":200,"integrationLatency":"1234","responseLatency":1240.0,"principalId":null,"apiKey":"","stage":-,"resourcePath":"-"}"#)
        #expect(r.status == 502)
        #expect(r.responseLength == 36)
        #expect(r.integrationStatus == 200)
        #expect(r.integrationLatency == 1234)
        #expect(r.responseLatency == 1240)
        #expect(r.principalId == nil)
        #expect(r.apiKey == nil)
        #expect(r.stage == nil)
        #expect(r.resourcePath == nil)
        #expect(r.fields["status"] == "502")
        #expect(r.fields["principalId"] == "null")
        #expect(r.isBackendResponse)
        #expect(!r.isGatewayRejection)
    }

    @Test func backendDenialIsNotAGatewayRejection() throws {
        // log-formats.md §5.3 note: a 403 from the Lambda has errorMessage "-" and an integration status and latency.
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","errorMessage":"-","integrationStatus":"403","integrationLatency":"644","status":"403"}"#)
        #expect(r.isBackendResponse)
        #expect(!r.isGatewayRejection)
        #expect(r.errorMessage == nil)
    }

    @Test func escapesAndUnicodeInStrings() throws {
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"400","validationErrorString":"[object has missing required properties ([\"name\"])]","userAgent":"caf\u00e9 \ud83d\ude00\/1"}"#)
        #expect(r.validationErrorString == #"[object has missing required properties (["name"])]"#)
        #expect(r.userAgent == "café 😀/1")
    }

    @Test func prettyPrintedByAwsLogsTailJSONFormat() throws {
        // `aws logs tail --format json` prints the message as json.dumps(obj, indent=4) on the lines after the prefix.
        let message = """
        {
            "requestId": "60838619-695e-45bc-8d3d-331626f88932",
            "ip": "76.33.40.125",
            "caller": "-",
            "user": "-",
            "requestTime": "02/Jul/2026:11:54:44 +0000",
            "httpMethod": "GET",
            "resourcePath": "/PythonResource",
            "status": "401",
            "protocol": "HTTP/1.1",
            "responseLength": "26",
            "authenticate": {
                "status": "401",
                "error": "-"
            },
            "errorMessage": "Unauthorized"
        }
        """
        let r = try parse(message)
        #expect(r.requestId == "60838619-695e-45bc-8d3d-331626f88932")
        #expect(r.sourceIp == "76.33.40.125")
        #expect(r.caller == nil)
        #expect(r.status == 401)
        #expect(r.authenticateStatus == 401)
        #expect(r.timestamp == 1_782_993_284_000)
        #expect(r.isCognitoTokenMessage)
    }

    @Test func consoleJSONPresetWithExtendedRequestId() throws {
        let r = try parse(#"{ "requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4", "ip": "203.0.113.7", "caller":"-", "user":"-", "requestTime":"02/Jul/2026:11:54:48 +0000", "httpMethod":"GET", "resourcePath":"-", "status":"403", "protocol":"HTTP/1.1", "responseLength":"42", "extendedRequestId":"f4GtaFqHvHcEMuw=" }"#)
        #expect(r.sourceIp == "203.0.113.7")
        #expect(r.resourcePath == nil)
        #expect(r.responseLength == 42)
        #expect(r.extendedRequestId == "f4GtaFqHvHcEMuw=")
    }

    @Test func truncatedObjectKeepsWhatWasRead() throws {
        let r = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"403","error_responseType":"MISSING_AUTHENTICATION_TOKEN","resourcePath":"-","userAgent":"Mozil"#)
        #expect(r.responseType == "MISSING_AUTHENTICATION_TOKEN")
        #expect(r.status == 403)
    }

    // MARK: HTTP APIs

    @Test func httpAPIRecord() throws {
        let r = try parse(#"{"requestId":"JUcJfg7doAMEMyQ=","routeKey":"GET /items","status":"500","authorizer":{"error":"The response from the Lambda Authorizer function doesn't match the format that API Gateway expects. Simple response did not include 'isAuthorized'"},"integrationErrorMessage":"-","path":"/items","stage":"$default"}"#)
        #expect(r.isHTTPAPI)
        #expect(r.requestId == "JUcJfg7doAMEMyQ=")
        #expect(r.routeKey == "GET /items")
        #expect(r.authorizerError?.hasPrefix("The response from the Lambda Authorizer function") == true)
        #expect(r.pathWithoutStage == "/items")
        #expect(r.isGatewayRejection)
    }

    @Test func cognitoClaimsAndExpiredToken() throws {
        let expired = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"401","error":{"message":"The incoming token has expired","responseType":"UNAUTHORIZED"}}"#)
        #expect(expired.isCognitoTokenMessage)
        let withClaims = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"401","errorMessage":"Unauthorized","authorizer":{"claims":{"sub":"8f3c-11","email":"a@example.com"}}}"#)
        #expect(withClaims.hasCognitoClaims)
        #expect(withClaims.isCognitoTokenMessage)
        #expect(withClaims.fields["authorizer.claims.sub"] == "8f3c-11")
        let lambda = try parse(#"{"requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","status":"401","errorMessage":"Unauthorized","authorizer_claims_sub":"-","authorizer_status":"401"}"#)
        #expect(!lambda.hasCognitoClaims)
        #expect(!lambda.isCognitoTokenMessage)
    }

    // MARK: Presets

    @Test func commonLogFormatPreset() throws {
        let r = try parse(#"203.0.113.7 - - [02/Jul/2026:11:54:48 +0000] "GET /PythonResource HTTP/1.1" 403 23 0afb41b6-60d7-4a56-bf47-acf1fbcabec4"#)
        #expect(r.format == .clf)
        #expect(r.requestId == "0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
        #expect(r.sourceIp == "203.0.113.7")
        #expect(r.caller == nil)
        #expect(r.user == nil)
        #expect(r.httpMethod == "GET")
        #expect(r.resourcePath == "/PythonResource")
        #expect(r.protocol == "HTTP/1.1")
        #expect(r.status == 403)
        #expect(r.responseLength == 23)
        #expect(r.extendedRequestId == nil)
        #expect(r.timestamp == 1_782_993_288_000)
        #expect(r.isGatewayRejection)
    }

    @Test func commonLogFormatWithExtendedIdAndUnmatchedRoute() throws {
        let r = try parse(#"203.0.113.7 - - [02/Jul/2026:13:54:48 +0200] "POST - HTTP/1.1" 403 42 0afb41b6-60d7-4a56-bf47-acf1fbcabec4 f4GtaFqHvHcEMuw="#)
        #expect(r.extendedRequestId == "f4GtaFqHvHcEMuw=")
        #expect(r.resourcePath == nil)
        #expect(r.httpMethod == "POST")
        #expect(r.timestamp == 1_782_993_288_000)  // +0200 offset applied
    }

    @Test func httpAPICommonLogFormatPreset() throws {
        let r = try parse(#"198.51.100.20 - - [02/Jul/2026:11:54:48 +0000] "GET GET /items HTTP/1.1" 404 23 JUcJfg7doAMEMyQ="#)
        #expect(r.routeKey == "GET /items")
        #expect(r.resourcePath == nil)
        #expect(r.isHTTPAPI)
        #expect(r.requestId == "JUcJfg7doAMEMyQ=")
    }

    @Test func csvPreset() throws {
        let r = try parse("203.0.113.7,-,-,02/Jul/2026:11:54:48 +0000,GET,/pets/{id},HTTP/1.1,200,512,0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
        #expect(r.format == .csv)
        #expect(r.resourcePath == "/pets/{id}")
        #expect(r.status == 200)
        #expect(r.responseLength == 512)
        #expect(!r.isGatewayRejection)
        let extended = try parse("203.0.113.7,-,-,02/Jul/2026:11:54:48 +0000,GET,-,HTTP/1.1,403,42,0afb41b6-60d7-4a56-bf47-acf1fbcabec4,f4GtaFqHvHcEMuw=")
        #expect(extended.extendedRequestId == "f4GtaFqHvHcEMuw=")
        #expect(extended.resourcePath == nil)
    }

    @Test func xmlPreset() throws {
        let r = try parse(#"<request id="0afb41b6-60d7-4a56-bf47-acf1fbcabec4"> <ip>203.0.113.7</ip> <caller>-</caller> <user>-</user> <requestTime>02/Jul/2026:11:54:48 +0000</requestTime> <httpMethod>GET</httpMethod> <resourcePath>/pets/{id}</resourcePath> <status>403</status> <protocol>HTTP/1.1</protocol> <responseLength>82</responseLength> <error><message>User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/ with an explicit deny</message></error> <userAgent>a &amp; b</userAgent> </request>"#)
        #expect(r.format == .xml)
        #expect(r.requestId == "0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
        #expect(r.sourceIp == "203.0.113.7")
        #expect(r.caller == nil)
        #expect(r.resourcePath == "/pets/{id}")
        #expect(r.status == 403)
        #expect(r.responseLength == 82)
        #expect(r.userAgent == "a & b")
        #expect(r.timestamp == 1_782_993_288_000)
        #expect(r.accessDeniedKind == .anonymous(explicit: true))
        #expect(r.fields["error.message"]?.hasPrefix("User: anonymous") == true)
    }

    // MARK: Not access logs

    @Test func recordsWithoutARequestIdAreRejected() {
        #expect(AccessLogRecord.parse(#"{"status":"403","errorMessage":"Forbidden","httpMethod":"GET"}"#) == nil)
        #expect(AccessLogRecord.parse(#"{"requestId":"-","status":"403"}"#) == nil)
        #expect(AccessLogRecord.parse(#"{"requestId":"","status":"403"}"#) == nil)
        #expect(AccessLogRecord.parse(#"203.0.113.7 - - [02/Jul/2026:11:54:48 +0000] "GET / HTTP/1.1" 403 23 -"#) == nil)
        #expect(AccessLogRecord.parse("203.0.113.7,-,-,02/Jul/2026:11:54:48 +0000,GET,/,HTTP/1.1,200,512,-") == nil)
        #expect(AccessLogRecord.parse(#"<request> <ip>203.0.113.7</ip> <status>403</status> </request>"#) == nil)
    }

    @Test func executionLogMessagesAndOtherJSONAreRejected() {
        let notAccessLogs = [
            "(286364ab-3a83-11e9-8dc8-db3cf4c83204) Extended Request Id: Vwc2MGFUrPEFV_g=",
            "(4f3e3b0f-39db-11e9-9c2e-5bd7c2de5998) Method completed with status: 429",
            "Method completed with status: 200",
            #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1432826855000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#,
            // An application log that merely carries a request id.
            #"{"level":"INFO","requestId":"0afb41b6-60d7-4a56-bf47-acf1fbcabec4","message":"Received GET request"}"#,
            #"{"timestamp": 1696027815219, "formatVersion": 1, "action": "BLOCK", "httpSourceName": "APIGW"}"#,
            "",
            "   ",
            "hello, world",
            "{",
            "{\"requestId\"",
            "<html><body>502 Bad Gateway</body></html>",
            "a,b,c,d,e,f,g,h,i,j",
        ]
        for text in notAccessLogs {
            #expect(AccessLogRecord.parse(text) == nil, "\(text)")
        }
    }

    @Test func parsesBorrowedBytes() {
        let bytes = Array(Self.azulTimeout.utf8)
        let fromBytes = bytes.withUnsafeBytes { AccessLogRecord.parse($0) }
        #expect(fromBytes != nil)
        #expect(fromBytes == AccessLogRecord.parse(Self.azulTimeout))
    }
}
