/// A request as the test server received it, for assertions.
///
/// ```swift
/// #expect(server.requests(path: "/feed").last?.header("If-None-Match") == "\"v1\"")
/// ```
public struct RecordedRequest: Sendable {
    public var method: String
    /// The request target as sent (path and query).
    public var uri: String
    /// The path without the query.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Which TCP connection carried it (1, 2, …), to check connection reuse.
    public var connectionID: Int

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
