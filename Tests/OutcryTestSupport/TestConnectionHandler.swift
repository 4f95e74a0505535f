import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves one connection: reads requests, records them, answers from the routes.
struct TestConnectionHandler: Sendable {
    let state: TestServerState
    private static let streamChunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)

    func serve(_ connection: TestHTTPServer.Connection) async {
        guard let id = state.open(connection.channel) else {
            try? await connection.channel.close()
            return
        }
        defer { state.close(id) }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(let buffer):
                    body += buffer.readableBytesView
                case .end:
                    guard let requestHead = head else { continue }
                    let request = RecordedRequest(
                        method: requestHead.method.rawValue, uri: requestHead.uri,
                        path: String(requestHead.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]),
                        headers: requestHead.headers.map { ($0.name, $0.value) }, body: body, connectionID: id)
                    state.record(request)
                    let keepOpen = try await respond(to: request, head: requestHead, outbound: outbound, channel: connection.channel)
                    if !keepOpen || !requestHead.isKeepAlive { return }
                }
            }
        }
    }

    /// Writes the response; returns false when the connection must not be reused.
    private func respond(
        to request: RecordedRequest, head: HTTPRequestHead,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel
    ) async throws -> Bool {
        guard let route = state.route(for: request) else {
            try await write(TestResponse(status: 404, text: "no route for \(request.path)\n"), head: head, outbound: outbound)
            return true
        }
        switch route.kind {
        case .respond(let handler):
            try await write(handler(request), head: head, outbound: outbound)
            return true

        case .drip(let chunk, let interval, let count):
            var headers = HTTPHeaders([("Content-Type", "application/xml")])
            headers.add(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers)))
            var sent = 0
            while count.map({ sent < $0 }) ?? true {
                try await Task.sleep(for: interval)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                sent += 1
            }
            try await outbound.write(.end(nil))
            return true

        case .stream(let bytes):
            let headers = HTTPHeaders([("Content-Type", "application/octet-stream"), ("Content-Length", String(bytes))])
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers)))
            var left = bytes
            while left > 0 {
                try Task.checkCancellation()
                let chunk = Self.streamChunk.getSlice(at: 0, length: min(left, Self.streamChunk.readableBytes))!
                try await outbound.write(.body(.byteBuffer(chunk)))
                left -= chunk.readableBytes
            }
            try await outbound.write(.end(nil))
            return true

        case .promise(let first, let declaredLength):
            let headers = HTTPHeaders([("Content-Type", "application/xml"), ("Content-Length", String(declaredLength))])
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: first))))
            while channel.isActive { try await Task.sleep(for: .milliseconds(100)) }  // until the client closes
            return false

        case .reset(let partial, let declaredLength):
            // SO_LINGER 0: close() sends RST instead of FIN. Set before the first byte, so that only
            // the close is left once the partial body is out.
            if let provider = channel as? any SocketOptionProvider {
                try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            let headers = HTTPHeaders([("Content-Type", "application/xml"), ("Content-Length", String(declaredLength))])
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: partial))))
            try? await channel.close()
            return false
        }
    }

    private func write(
        _ response: TestResponse, head: HTTPRequestHead, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        let bodyless = response.status == 304 || response.status == 204 || (100..<200).contains(response.status)
        if !bodyless, !headers.contains(name: "Content-Length") {
            headers.add(name: "Content-Length", value: String(response.body.count))
        }
        let status = HTTPResponseStatus(statusCode: response.status)
        try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
        if !bodyless, head.method != .HEAD, !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
