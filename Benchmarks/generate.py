#!/usr/bin/env python3
"""Generates large, realistic API Gateway execution-log inputs for the gatelog benchmark (Python 3 stdlib only).

The output is deterministic for a seed and a size. Requests follow the lifecycles of log-formats.md §9 (success with
and without a Lambda authorizer, explicit and implicit authorizer denials, 401s, authorizer errors, key and stage
throttling, integration timeouts, Lambda function errors, malformed proxy responses), with data-trace header/body lines
cut by ` [TRUNCATED]`. About 32 requests are in flight at any time, so their lines interleave as in a busy stream.
Roughly 200 K requests of 10-25 lines (mean line ~270 bytes, ~4 M lines) make one GiB.

Outputs, under --out (default Benchmarks/data/<size>m):
  plain.log                 one S3-export-style file: `<ISO time> (<request id>) <message>` per line
  plain.log.gz              the same, gzipped (one member)
  s3/<task>/<stream>/NNNNNN.gz  a many-file S3-export layout: requests spread over --streams streams, each stream cut
                            into files of about 8 MiB of text (created with --many)
  filter-log-events.json    the same events as one `aws logs filter-log-events` document (with --json)
  meta.json                 sizes, line and request counts, and a request id to trace
"""

import argparse
import gzip
import json
import os
import random
import time
import zlib

API = "k7x2mq9zt1"
STAGE = "prod"
REGION = "eu-west-1"
ACCOUNT = "123456789012"
AUTHORIZER = "4hugyv"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:petshop-prod-api"
AUTHORIZER_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:petshop-prod-authorizer"
LAMBDA_URI = f"https://lambda.{REGION}.amazonaws.com/2015-03-31/functions/{FUNCTION_ARN}/invocations"
AUTHORIZER_URI = f"https://lambda.{REGION}.amazonaws.com/2015-03-31/functions/{AUTHORIZER_ARN}/invocations"
ROUTES = [  # (verb, template, concrete path)
    ("GET", "/pets", "/pets"),
    ("GET", "/pets/{petId}", "/pets/{n}"),
    ("POST", "/pets", "/pets"),
    ("DELETE", "/pets/{petId}", "/pets/{n}"),
    ("PUT", "/pets/{petId}", "/pets/{n}"),
    ("GET", "/orders/{orderId}", "/orders/{n}"),
    ("POST", "/orders", "/orders"),
    ("GET", "/store/inventory", "/store/inventory"),
]
HEX = "0123456789abcdef"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.users = [f"usr_{self.word(6)}" for _ in range(400)]
        self.keys = ["*" * 34 + self.b64(6) for _ in range(50)]

    def word(self, n):
        return "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def b64(self, n):
        return "".join(self.r.choice(B64) for _ in range(n))

    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{HEX[8 + self.r.getrandbits(2)]}{h[17:20]}-{h[20:32]}"

    def trace_id(self):
        return "Root=1-%08x-%024x" % (self.r.getrandbits(32), self.r.getrandbits(96))

    # --- building blocks (texts after the `(id) ` prefix), log-formats.md §2 ---

    def route(self):
        verb, template, path = self.r.choice(ROUTES)
        return verb, template, path.replace("{n}", str(self.r.randrange(1, 99999)))

    def method_request_headers(self):
        return ("Method request headers: {Accept=application/json, Authorization=****************" + self.b64(6)
                + ", CloudFront-Forwarded-Proto=https, CloudFront-Is-Desktop-Viewer=true, CloudFront-Viewer-Country=DE, "
                "CloudFront-Is-Mobile-Viewer=false, CloudFront-Is-SmartTV-Viewer=false, CloudFront-Is-Tablet-Viewer=false, "
                "Host=api.petshop.example, User-Agent=petshop-app/4.2." + str(self.r.randrange(10)) + " (Android 14), "
                "Via=2.0 " + self.word(32) + ".cloudfront.net (CloudFront), X-Amz-Cf-Id=" + self.b64(40)
                + ", X-Amzn-Trace-Id=" + self.trace_id() + ", X-Forwarded-For=203.0.113." + str(self.r.randrange(1, 255))
                + ", 130.176.1" + str(self.r.randrange(10, 99)) + " [TRUNCATED]")

    def endpoint_headers(self, rid, source_arn):
        return ("Endpoint request headers: {x-amzn-lambda-integration-tag=" + rid + ", Authorization=*************************"
                + self.b64(6) + ", X-Amz-Date=20261120T0907" + "%02dZ" % self.r.randrange(60)
                + ", x-amzn-apigateway-api-id=" + API + ", X-Amz-Source-Arn=" + source_arn
                + ", Accept=application/json, User-Agent=AmazonAPIGateway_" + API + ", X-Amz-Security-Token=IQoJb3JpZ2luX2VjE"
                + self.b64(520) + " [TRUNCATED]")

    def authorizer_block(self, rid, verb, path, user, policy):
        method_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/{verb}{path}"
        token = "eyJhbGciOiJSUzI1NiJ9." + self.b64(150)
        return [
            f"Starting authorizer: {AUTHORIZER} for request: {rid}",
            "Incoming identity: " + "*" * 40 + token[-6:],
            "Endpoint request URI: " + AUTHORIZER_URI,
            self.endpoint_headers(rid, f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/authorizers/{AUTHORIZER}"),
            'Endpoint request body after transformations: {"type":"TOKEN","methodArn":"' + method_arn
            + '","authorizationToken":"' + token + '"}',
            "Sending request to " + AUTHORIZER_URI,
            "Authorizer result body before parsing: " + policy,
            "Using valid authorizer policy for principal: " + "*" * 8 + user[-6:],
            "Successfully completed authorizer execution",
        ]

    def policy(self, user, effect, resource):
        return ('{"principalId":"' + user + '","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":'
                '"execute-api:Invoke","Effect":"' + effect + '","Resource":["' + resource + '"]}]},"context":{"tier":"'
                + self.r.choice(["free", "pro", "team"]) + '"}}')

    def usage_plan(self, rid, verb, template, key=""):
        spaced = key
        return [
            f"Verifying Usage Plan for request: {rid}. API Key: {spaced} API Stage: {API}/{STAGE}",
            f"API Key {spaced} authorized because method '{verb} {template}' does not require API Key. "
            "Request will not contribute to throttle or quota limits",
            f"Usage Plan check succeeded for API Key {spaced} and API Stage {API}/{STAGE}",
        ]

    def method_execution(self, rid, verb, template, path, body):
        source_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/{verb}{template}"
        return [
            f"Starting execution for request: {rid}",
            f"HTTP Method: {verb}, Resource Path: {path}",
            self.method_request_headers(),
            "Method request body before transformations: " + body,
            "Endpoint request URI: " + LAMBDA_URI,
            self.endpoint_headers(rid, source_arn),
            'Endpoint request body after transformations: {"resource":"' + template + '","path":"' + path
            + '","httpMethod":"' + verb + '","headers":{"Accept":"application/json","Authorization":"Bearer eyJhbGciOiJSUzI1NiJ9.'
            + self.b64(30) + '","CloudFront-Forwarded-Proto":"https","CloudFront-Is-Desktop-Viewer":"true","Host":"api.petshop.example","User-Agent":"petshop-app/4.2 (Android 14)","Via":"2.0 '
            + self.word(32) + '.cloudfront.net (CloudFront)","X-Amz-Cf-Id":"' + self.b64(40) + '","X-Amzn-Trace-Id":"Root=1-6 [TRUNCATED]',
            "Sending request to " + LAMBDA_URI,
        ]

    def response_lines(self, lambda_id, status, latency):
        body = '{"statusCode":' + str(status) + ',"headers":{"Content-Type":"application/json"},"body":"{\\"id\\":' \
               + str(self.r.randrange(100000)) + ',\\"name\\":\\"' + self.word(8) + '\\",\\"status\\":\\"available\\",\\"tags\\":[\\"' \
               + self.word(5) + '\\"],\\"owner\\":\\"' + self.word(12) + '\\",\\"updatedAt\\":\\"2026-11-20T08:' \
               + str(self.r.randrange(10, 59)) + ':00Z\\"}"}'
        return [
            f"Received response. Status: 200, Integration latency: {latency} ms",
            "Endpoint response body before transformations: " + body,
            "Endpoint response headers: {Date=Fri, 20 Nov 2026 09:07:50 GMT, Content-Type=application/json, Content-Length="
            + str(len(body)) + ", Connection=keep-alive, x-amzn-RequestId=" + lambda_id
            + ", x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=1-"
            + "%08x-%024x" % (self.r.getrandbits(32), self.r.getrandbits(96)) + ";sampled=1}",
        ]

    # --- whole requests (log-formats.md §9) ---

    def request(self):
        rid = self.uuid()
        verb, template, path = self.route()
        user = self.r.choice(self.users)
        ext = "Extended Request Id: " + self.b64(14) + "="
        xray = "X-ray Tracing ID : " + self.trace_id()
        method_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/{verb}{path}"
        body = '{"name":"' + self.word(8) + '","tag":"' + self.word(5) + '"}' if verb in ("POST", "PUT") else ""
        lambda_id = self.uuid()
        pick = self.r.random()
        allow = self.policy(user, "Allow", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/*/*")
        if pick < 0.40:  # 9.1b success with a TOKEN authorizer
            lines = [ext] + self.authorizer_block(rid, verb, path, user, allow) + self.usage_plan(rid, verb, template)[:1] \
                + self.method_execution(rid, verb, template, path, body)[:6] + ["Sending request to " + LAMBDA_URI] \
                + self.response_lines(lambda_id, 200, self.r.randrange(8, 400))[:2] \
                + ["Successfully completed execution", "Method completed with status: 200", xray]
        elif pick < 0.68:  # 9.1 success, no authorizer
            lines = [ext] + self.usage_plan(rid, verb, template) + self.method_execution(rid, verb, template, path, body) \
                + self.response_lines(lambda_id, 200, self.r.randrange(8, 400)) \
                + ["Method response headers: {X-Amzn-Trace-Id=" + self.trace_id() + "}", "Successfully completed execution",
                   "Method completed with status: 200", f"AWS Integration Endpoint RequestId : {lambda_id}", xray]
        elif pick < 0.76:  # 9.2 explicit deny
            deny = self.policy(user, "Deny", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/{verb}/*")
            lines = [ext] + self.authorizer_block(rid, verb, path, user, deny) \
                + ["The client is not authorized to perform this operation.", xray]
        elif pick < 0.82:  # 9.3 implicit deny
            narrow = self.policy(user, "Allow", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{STAGE}/GET/health")
            lines = [ext] + self.authorizer_block(rid, verb, path, user, narrow) \
                + ["The client is not authorized to perform this operation.", xray]
        elif pick < 0.85:  # 9.4b authorizer rejected the token: 401
            lines = [ext] + self.authorizer_block(rid, verb, path, user, "")[:6] + [f"Unauthorized request: {rid}", xray]
        elif pick < 0.87:  # 9.5 authorizer function error: 500
            lines = [ext] + self.authorizer_block(rid, verb, path, user, "")[:6] + [
                'Authorizer result body before parsing: {"errorType":"Runtime.ImportModuleError","errorMessage":"Error: '
                "Cannot find module 'jsonwebtoken'\",\"trace\":[\"Runtime.ImportModuleError: Error: Cannot find module\"]}",
                'Execution failed due to configuration error: Invalid JSON in response: Unrecognized field "errorType" , not marked as ignorable',
                "Execution failed due to configuration error: Authorizer error", xray]
        elif pick < 0.91:  # 9.11b usage-plan key throttle: 429
            key = self.r.choice(self.keys)
            lines = [ext] + self.authorizer_block(rid, verb, path, user, allow) + [
                f"Verifying Usage Plan for request: {rid}. API Key: {key} API Stage: {API}/{STAGE}",
                f"API Key {key} exceeded throttle limit for API Stage {API}/{STAGE}: Key throttle limit exceeded for Usage "
                f"Plan ID nnpegc, RestApi {API}, Stage {STAGE}, Resource f646q2, HttpMethod {verb}. Limit: 5.00 Burst: 10",
                "Method completed with status: 429", xray]
        elif pick < 0.94:  # 9.13 integration timeout: 504
            lines = [ext] + self.usage_plan(rid, verb, template) + self.method_execution(rid, verb, template, path, body) \
                + ["Execution failed due to a timeout error", "Method completed with status: 504", xray]
        elif pick < 0.97:  # 9.14 Lambda function error: 502
            lines = [ext] + self.usage_plan(rid, verb, template) + self.method_execution(rid, verb, template, path, body) + [
                f"Received response. Status: 200, Integration latency: {self.r.randrange(1000, 11000)} ms",
                'Endpoint response body before transformations: {"errorType":"TypeError","errorMessage":"Cannot read '
                "properties of undefined (reading 'id')\",\"trace\":[\"TypeError: Cannot read properties of undefined\"]}",
                f"Lambda execution failed with status 200 due to customer function error: Cannot read properties of undefined "
                f"(reading 'id'). Lambda request id: {lambda_id}",
                "Method completed with status: 502", f"AWS Integration Endpoint RequestId : {lambda_id}", xray]
        else:  # 9.15 malformed proxy response: 502
            lines = [ext] + self.usage_plan(rid, verb, template) + self.method_execution(rid, verb, template, path, body) + [
                f"Received response. Status: 200, Integration latency: {self.r.randrange(8, 400)} ms",
                'Endpoint response body before transformations: {"statusCode":500,"body":{"message":"db down"}}',
                "Execution failed due to configuration error: Malformed Lambda proxy response",
                "Method completed with status: 502", f"AWS Integration Endpoint RequestId : {lambda_id}", xray]
        del method_arn
        return rid, lines


def iso_prefix(millis):
    seconds = millis // 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ " % (millis % 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=1024, help="size of plain.log in MiB (default 1024)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="output folder (default Benchmarks/data/<size>m)")
    parser.add_argument("--streams", type=int, default=64, help="log streams of the many-file layout")
    parser.add_argument("--many", action="store_true", help="also write the many-file S3-export layout")
    parser.add_argument("--json", action="store_true", help="also write a filter-log-events JSON document")
    parser.add_argument("--no-gzip", action="store_true", help="skip plain.log.gz")
    args = parser.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    out = args.out or os.path.join(here, "data", f"{args.size_mib}m")
    os.makedirs(out, exist_ok=True)
    target = args.size_mib * 1024 * 1024
    gen = Gen(args.seed)
    streams = ["%032x" % gen.r.getrandbits(128) for _ in range(args.streams)]
    task = gen.uuid()

    plain = open(os.path.join(out, "plain.log.tmp"), "wb", buffering=1 << 22)
    gz = None if args.no_gzip else gzip.open(os.path.join(out, "plain.log.gz.tmp"), "wb", compresslevel=6)
    js = None
    if args.json:
        js = open(os.path.join(out, "filter-log-events.json.tmp"), "wb", buffering=1 << 22)
        js.write(b'{\n    "events": [\n')
    many_root = os.path.join(out, "s3.tmp", f"API-Gateway-Execution-Logs_{API}", STAGE, task)
    many_part = 8 * 1024 * 1024
    many_state = []  # per stream: [file index, bytes in current file, compressor, file, pending chunks]
    if args.many:
        for s in streams:
            os.makedirs(os.path.join(many_root, s), exist_ok=True)
            many_state.append([0, 0, None, None, []])

    def many_flush(i, final):
        st = many_state[i]
        data = "".join(st[4]).encode()
        st[4] = []
        if st[3] is None:
            st[3] = open(os.path.join(many_root, streams[i], "%06d.gz" % st[0]), "wb")
            st[2] = zlib.compressobj(6, zlib.DEFLATED, 31)
        st[3].write(st[2].compress(data))
        if final or st[1] >= many_part:
            st[3].write(st[2].flush())
            st[3].close()
            st[3] = None
            st[0] += 1
            st[1] = 0

    written = 0
    lines_total = 0
    requests = 0
    clock = 1_795_165_200_000  # 2026-11-20T09:00:00Z
    active = []  # [rid, lines, next index, stream index]
    trace_id = None
    first_event = True
    prefix_cache_second = -1
    prefix_base = ""
    batch = []
    json_batch = []
    stream_pending_bytes = [0] * len(streams)
    ingestion = 0
    while written < target or active:
        while len(active) < 32 and written < target:
            rid, lines = gen.request()
            active.append([rid, lines, 0, gen.r.randrange(len(streams))])
            requests += 1
        if not active:
            break
        i = gen.r.randrange(len(active))
        req = active[i]
        clock += gen.r.randrange(0, 3)
        second = clock // 1000
        if second != prefix_cache_second:
            prefix_cache_second = second
            prefix_base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        message = "(" + req[0] + ") " + req[1][req[2]]
        line = prefix_base + ".%03dZ " % (clock % 1000) + message + "\n"
        batch.append(line)
        written += len(line)
        lines_total += 1
        if args.many:
            s = req[3]
            many_state[s][4].append(line)
            many_state[s][1] += len(line)
            stream_pending_bytes[s] += len(line)
            if stream_pending_bytes[s] >= 1 << 20:
                stream_pending_bytes[s] = 0
                many_flush(s, False)
        if js is not None:
            ingestion = clock + 700
            escaped = message.replace("\\", "\\\\").replace('"', '\\"')
            json_batch.append(('' if first_event else ',\n') + '        {\n            "logStreamName": "' + streams[req[3]]
                              + '",\n            "timestamp": ' + str(clock) + ',\n            "message": "' + escaped
                              + '",\n            "ingestionTime": ' + str(ingestion) + ',\n            "eventId": "'
                              + "%056d" % (clock * 1000 + lines_total % 1000) + '"\n        }')
            first_event = False
        req[2] += 1
        if req[2] == len(req[1]):
            if trace_id is None and written >= target // 2 and req[1][-3].startswith("Successfully completed execution"):
                trace_id = req[0]
            active[i] = active[-1]
            active.pop()
        if len(batch) >= 20000:
            data = "".join(batch).encode()
            plain.write(data)
            if gz is not None:
                gz.write(data)
            batch = []
            if js is not None:
                js.write("".join(json_batch).encode())
                json_batch = []
    data = "".join(batch).encode()
    plain.write(data)
    if gz is not None:
        gz.write(data)
        gz.close()
    plain.close()
    if js is not None:
        js.write("".join(json_batch).encode())
        js.write(b'\n    ],\n    "searchedLogStreams": []\n}\n')
        js.close()
    if args.many:
        for s in range(len(streams)):
            if many_state[s][4] or many_state[s][3] is not None:
                many_flush(s, True)
    os.replace(os.path.join(out, "plain.log.tmp"), os.path.join(out, "plain.log"))
    if gz is not None:
        os.replace(os.path.join(out, "plain.log.gz.tmp"), os.path.join(out, "plain.log.gz"))
    if js is not None:
        os.replace(os.path.join(out, "filter-log-events.json.tmp"), os.path.join(out, "filter-log-events.json"))
    if args.many:
        final = os.path.join(out, "s3")
        if os.path.exists(final):
            import shutil
            shutil.rmtree(final)
        os.replace(os.path.join(out, "s3.tmp"), final)
    meta = {"seed": args.seed, "size_mib": args.size_mib, "bytes": written, "lines": lines_total, "requests": requests,
            "trace_id": trace_id, "streams": len(streams)}
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
