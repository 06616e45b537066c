/// The access-log values gatelog understands, whatever the user named them in their access-log format.
enum AccessLogField: Int, CaseIterable {
    case requestId, extendedRequestId, apiId, stage, httpMethod, resourcePath, path, routeKey, protocolName, resourceId
    case status, responseLength, responseLatency
    case responseType, errorMessage, errorMessageString, validationErrorString
    case wafResponseCode, wafStatus, wafError, wafLatency, webaclArn
    case authorizerError, authorizerStatus, authorizerLatency, authorizerRequestId
    case authorizerIntegrationStatus, authorizerIntegrationLatency
    case authorizeError, authorizeStatus, authorizeLatency
    case authenticateError, authenticateStatus, authenticateLatency
    case principalId
    case integrationStatus, integrationLatency, integrationErrorMessage, integrationError, awsEndpointRequestId
    case sourceIp, caller, user, userArn, userAgent, apiKey, apiKeyId
    case requestTime, requestTimeEpoch, domainName, accountId
}

/// Maps user-chosen access-log keys to `AccessLogField`s.
///
/// Keys are compared after normalisation: ASCII lower case, without `_`, `.`, `-`, `$` and spaces, and without a leading
/// `context` — so `error_responseType`, `error.responseType`, `$context.error.responseType` and `errorResponseType` are equal.
enum AccessLogFieldAliases {
    /// How strongly a key names its field: an explicit name beats a loose one (`error.message` beats `message`).
    enum Strength: Int, Comparable {
        case loose = 0
        case explicit = 1

        static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }
    }

    static func field(forKey key: String) -> (AccessLogField, Strength)? {
        table[normalized(key)]
    }

    static func field(forNormalizedKey key: String) -> (AccessLogField, Strength)? {
        table[key]
    }

    /// True for claims keys (`authorizer.claims.sub`, `claims_email`): a Cognito or JWT authorizer accepted a token.
    static func isClaims(normalizedKey key: String) -> Bool {
        key.hasPrefix("authorizerclaims") || key.hasPrefix("claims")
    }

    static func normalized(_ key: String) -> String {
        var key = key
        return key.withUTF8 { source in
            // Writes in place, so that short keys stay small strings without a heap buffer.
            String(unsafeUninitializedCapacity: source.count) { out in
                var count = 0
                for c in source {
                    switch c {
                    case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "$"), UInt8(ascii: " "):
                        continue
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                        out[count] = c + 32
                    default:
                        out[count] = c
                    }
                    count += 1
                }
                let context: StaticString = "context"
                let prefixLength = context.utf8CodeUnitCount
                if count > prefixLength,
                   (0..<prefixLength).allSatisfy({ out[$0] == context.utf8Start[$0] }) {
                    for k in prefixLength..<count { out[k - prefixLength] = out[k] }
                    count -= prefixLength
                }
                return count
            }
        }
    }

    private static let table: [String: (AccessLogField, Strength)] = {
        let explicit: [AccessLogField: [String]] = [
            .requestId: ["requestid", "reqid", "xamznrequestid", "amznrequestid"],
            .extendedRequestId: ["extendedrequestid", "xamzapigwid", "apigwid"],
            .apiId: ["apiid", "restapiid"],
            .stage: ["stage", "stagename"],
            .httpMethod: ["httpmethod", "method", "verb"],
            .resourcePath: ["resourcepath", "resource"],
            .path: ["path", "requestpath"],
            .routeKey: ["routekey"],
            .protocolName: ["protocol"],
            .resourceId: ["resourceid"],
            .status: ["status", "statuscode", "httpstatus", "responsestatus"],
            .responseLength: ["responselength"],
            .responseLatency: ["responselatency"],
            .responseType: ["errorresponsetype", "responsetype", "gatewayresponsetype"],
            .errorMessage: ["errormessage", "errormsg"],
            .errorMessageString: ["errormessagestring", "messagestring", "errormsgstring", "errmsgstring", "msgstring"],
            .validationErrorString: ["errorvalidationerrorstring", "validationerrorstring", "validationerror"],
            .wafResponseCode: ["wafresponsecode"],
            .wafStatus: ["wafstatus"],
            .wafError: ["waferror"],
            .wafLatency: ["waflatency"],
            .webaclArn: ["webaclarn"],
            .authorizerError: ["authorizererror"],
            .authorizerStatus: ["authorizerstatus"],
            .authorizerLatency: ["authorizerlatency"],
            .authorizerRequestId: ["authorizerrequestid"],
            .authorizerIntegrationStatus: ["authorizerintegrationstatus"],
            .authorizerIntegrationLatency: ["authorizerintegrationlatency"],
            .authorizeError: ["authorizeerror"],
            .authorizeStatus: ["authorizestatus"],
            .authorizeLatency: ["authorizelatency"],
            .authenticateError: ["authenticateerror"],
            .authenticateStatus: ["authenticatestatus"],
            .authenticateLatency: ["authenticatelatency"],
            .principalId: ["authorizerprincipalid", "principalid"],
            .integrationStatus: ["integrationstatus", "integrationintegrationstatus"],
            .integrationLatency: ["integrationlatency"],
            .integrationErrorMessage: ["integrationerrormessage"],
            .integrationError: ["integrationerror"],
            .awsEndpointRequestId: ["awsendpointrequestid", "integrationrequestid"],
            .sourceIp: ["identitysourceip", "sourceip", "ip", "clientip"],
            .caller: ["identitycaller", "caller"],
            .user: ["identityuser", "user"],
            .userArn: ["identityuserarn", "userarn"],
            .userAgent: ["identityuseragent", "useragent"],
            .apiKey: ["identityapikey", "apikey"],
            .apiKeyId: ["identityapikeyid", "apikeyid"],
            .requestTime: ["requesttime"],
            .requestTimeEpoch: ["requesttimeepoch"],
            .domainName: ["domainname"],
            .accountId: ["accountid"],
        ]
        // Loose names: used only when no explicit key for the same field is present.
        let loose: [AccessLogField: [String]] = [
            .errorMessage: ["error", "message", "msg", "errmsg"],
        ]
        var table: [String: (AccessLogField, Strength)] = [:]
        for (field, names) in explicit {
            for name in names { table[name] = (field, .explicit) }
        }
        for (field, names) in loose {
            for name in names { table[name] = (field, .loose) }
        }
        return table
    }()
}
