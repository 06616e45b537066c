import Testing
@testable import GateLogKit

/// The derived helpers of `AccessLogRecord`, fed with the message texts of log-formats.md §3.1.
@Suite struct AccessLogClassificationTests {
    private func record(status: Int? = 403, message: String? = nil, responseType: String? = nil) -> AccessLogRecord {
        var r = AccessLogRecord(requestId: "0afb41b6-60d7-4a56-bf47-acf1fbcabec4")
        r.status = status
        r.errorMessage = message
        r.responseType = responseType
        return r
    }

    @Test func accessDeniedGenerations() {
        let cases: [(String, AccessLogRecord.AccessDeniedKind?)] = [
            ("User is not authorized to access this resource", .authorizer(explicit: false)),
            ("User is not authorized to access this resource with an explicit deny", .authorizer(explicit: true)),
            ("User is not authorized to access this resource with an explicit deny in an identity-based policy",
             .authorizer(explicit: true)),
            ("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********2543:vd2gh6uqw3/api/GET/",
             .anonymous(explicit: false)),
            ("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:65jyknf3ud/abrahamsc/GET/index with an explicit deny",
             .anonymous(explicit: true)),
            ("User: arn:aws:iam::*****:user/api-test-user is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:********1633:ehuzqavkg6/dev/GET/items",
             .iamCaller(arn: "arn:aws:iam::*****:user/api-test-user", explicit: false)),
            ("User: arn:aws:sts::********5355:assumed-role/****VY71/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-west-2:********1790:****bkva/v1/GET/test",
             .iamCaller(arn: "arn:aws:sts::********5355:assumed-role/****VY71/CognitoIdentityCredentials", explicit: false)),
            ("User: arn:aws:iam::xxxxxxxxxxxx:user/username is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:xxxxxxxxxxxx:abc/stage/GET/path because no identity-based policy allows the execute-api:Invoke action.",
             .iamCaller(arn: "arn:aws:iam::xxxxxxxxxxxx:user/username", explicit: false)),
            ("Forbidden", nil),
            ("Missing Authentication Token", nil),
            ("Unauthorized", nil),
        ]
        for (message, expected) in cases {
            #expect(record(message: message).accessDeniedKind == expected, "\(message)")
        }
    }

    @Test func resourceBasedPolicyWording() {
        let r = record(message: "User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/ because no resource-based policy allows the execute-api:Invoke action")
        #expect(r.mentionsResourceBasedPolicy)
        #expect(r.accessDeniedKind == .anonymous(explicit: false))
        #expect(!record(message: "User is not authorized to access this resource").mentionsResourceBasedPolicy)
    }

    @Test func signatureErrors() {
        let signatureMessages = [
            "Signature expired: 20191205T142350Z is now earlier than 20191205T211850Z (20191205T212350Z - 5 min.)",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            "The security token included in the request is invalid.",
            "Credential should be scoped to a valid region, not 'ap-northeast-1'. ",
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
            "Invalid key=value pair (missing equal-sign) in Authorization header",
        ]
        for message in signatureMessages {
            #expect(record(message: message, responseType: "DEFAULT_4XX").isSignatureError, "\(message)")
        }
        #expect(record(responseType: "INVALID_SIGNATURE").isSignatureError)
        #expect(record(responseType: "EXPIRED_TOKEN").isSignatureError)
        #expect(!record(message: "Missing Authentication Token", responseType: "MISSING_AUTHENTICATION_TOKEN").isSignatureError)
        #expect(!record(message: "Forbidden", responseType: "INVALID_API_KEY").isSignatureError)
        var viaAuthenticate = record()
        viaAuthenticate.authenticateError = "Signature expired: 20191205T142350Z is now earlier than 20191205T211850Z"
        #expect(viaAuthenticate.isSignatureError)
    }

    @Test func cognitoTokenMessages() {
        #expect(record(status: 401, message: "The incoming token has expired").isCognitoTokenMessage)
        #expect(!record(status: 401, message: "Unauthorized").isCognitoTokenMessage)
        var authenticated = record(status: 401, message: "Unauthorized")
        authenticated.authenticateStatus = 401
        #expect(authenticated.isCognitoTokenMessage)
        var claims = record(status: 401, message: "Unauthorized")
        claims.hasCognitoClaims = true
        #expect(claims.isCognitoTokenMessage)
        var notUnauthorized = record(status: 403, message: "Forbidden")
        notUnauthorized.authenticateStatus = 200
        #expect(!notUnauthorized.isCognitoTokenMessage)
    }

    @Test func gatewayRejectionAndBackendResponse() {
        #expect(record(status: 403, message: "Forbidden").isGatewayRejection)
        #expect(!record(status: 200).isGatewayRejection)
        #expect(!record(status: nil, responseType: "ACCESS_DENIED").isGatewayRejection)

        var timeout = record(status: 504, responseType: "INTEGRATION_TIMEOUT")
        timeout.integrationLatency = 29_000
        #expect(timeout.isGatewayRejection)
        #expect(!timeout.isBackendResponse)

        var backend = record(status: 404)
        backend.integrationStatus = 404
        backend.integrationLatency = 37
        #expect(!backend.isGatewayRejection)
        #expect(backend.isBackendResponse)
    }

    @Test func pathWithoutStage() {
        var r = record()
        r.path = "/prod/pets/42"
        #expect(r.pathWithoutStage == "/prod/pets/42")  // stage unknown: nothing to strip
        r.stage = "prod"
        #expect(r.pathWithoutStage == "/pets/42")
        r.path = "/prod"
        #expect(r.pathWithoutStage == "/")
        r.path = "/production/pets"
        #expect(r.pathWithoutStage == "/production/pets")
        r.path = nil
        #expect(r.pathWithoutStage == nil)
    }
}
