import Foundation
import OutcryModel
import OutcryStore

/// What a dashboard user may do. Each role includes the ones before it.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Reads the queue, threads and sources.
    case viewer
    /// Acts on threads: acknowledge, assign, hold, respond, resolve, reopen, note, label.
    case responder
    /// Users, contacts, privacy and crises.
    case admin

    var rank: Int {
        switch self {
        case .viewer: 0
        case .responder: 1
        case .admin: 2
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    /// Whether this role includes `needed`.
    public func allows(_ needed: Role) -> Bool { self >= needed }
}

/// Who is making a request: a person logged in, a person's API token, or the configuration's
/// single `api_token` (an admin named "api").
public struct Principal: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// The session's CSRF token (nil for API tokens, which forms do not use).
    public var csrfToken: String?

    public init(name: String, role: Role, csrfToken: String? = nil) {
        self.name = name
        self.role = role
        self.csrfToken = csrfToken
    }
}

/// Hashes and checks passwords. The web side supplies bcrypt (hummingbird-auth); App keeps
/// no cryptography of its own.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async -> String
    func verify(_ password: String, hash: String) async -> Bool
}

/// Why a user could not be added or found, in words for the terminal and the page.
public struct UserError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The dashboard's users, sessions and API tokens: the use cases behind
/// `outcry users add|list|token` and the login page.
///
/// ```swift
/// let accounts = UserAccounts(store: store, hasher: BcryptHasher())
/// try await accounts.add(name: "ana", role: .responder, password: "long enough secret")
/// let session = try await accounts.login(name: "ana", password: "long enough secret", now: Date())
/// ```
public struct UserAccounts: Sendable {
    public static let minimumPasswordLength = 12
    /// How long a login lasts.
    public static let sessionLifetime: TimeInterval = 12 * 3600

    let store: Store
    let hasher: any PasswordHasher

    public init(store: Store, hasher: any PasswordHasher) {
        self.store = store
        self.hasher = hasher
    }

    /// Adds a user; the name is 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
    @discardableResult
    public func add(name: String, role: Role, password: String, now: Date = Date()) async throws -> Principal {
        try Self.checkName(name)
        guard password.count >= Self.minimumPasswordLength else {
            throw UserError("the password for '\(name)' is too short (\(password.count) characters): use at least \(Self.minimumPasswordLength)")
        }
        let hash = await hasher.hash(password)
        do {
            _ = try await store.addUser(name: name, role: role.rawValue, passwordHash: hash, at: now)
        } catch let error as StoreError {
            throw UserError(error.description)
        }
        return Principal(name: name, role: role)
    }

    public struct Listed: Sendable {
        public var name: String
        public var role: Role
        public var createdAt: Date
    }

    public func list() async throws -> [Listed] {
        try await store.users().map { Listed(name: $0.name, role: Role(rawValue: $0.role) ?? .viewer, createdAt: $0.createdAt) }
    }

    /// Whether any user exists (a first run without users prints how to add one).
    public func isEmpty() async throws -> Bool { try await store.users().isEmpty }

    /// A new API token for the user (printed once; only its hash is kept).
    public func issueToken(name: String, now: Date = Date()) async throws -> String {
        guard let user = try await store.user(named: name) else { throw UserError("no user named '\(name)': add one with `outcry users add \(name) --role viewer`") }
        let token = "oc_" + Self.randomToken()
        try await store.addAPIToken(userID: user.id, token: token, now: now)
        return token
    }

    /// The person behind an API token, or nil.
    public func principal(apiToken: String) async throws -> Principal? {
        guard let user = try await store.user(apiToken: apiToken) else { return nil }
        return Principal(name: user.name, role: Role(rawValue: user.role) ?? .viewer)
    }

    /// A started session: the cookie value and the principal (with its CSRF token).
    public struct Session: Sendable {
        public var cookie: String
        public var principal: Principal
        public var expiresAt: Date
    }

    /// Checks the password; a new session when it is right, nil when the name or password is
    /// wrong (the caller does not learn which). An unknown name still costs a hash check, so
    /// the answer's timing does not tell whether the name exists.
    public func login(name: String, password: String, now: Date = Date()) async throws -> Session? {
        guard let user = try await store.user(named: name) else {
            _ = await hasher.hash(password)
            return nil
        }
        guard await hasher.verify(password, hash: user.passwordHash) else { return nil }
        let cookie = Self.randomToken(), csrf = Self.randomToken()
        let expires = now.addingTimeInterval(Self.sessionLifetime)
        try await store.createSession(userID: user.id, token: cookie, csrfToken: csrf, expiresAt: expires, now: now)
        return Session(cookie: cookie, principal: Principal(name: user.name, role: Role(rawValue: user.role) ?? .viewer, csrfToken: csrf),
                       expiresAt: expires)
    }

    /// The principal of a live session cookie, or nil.
    public func principal(sessionCookie: String, now: Date = Date()) async throws -> Principal? {
        guard let s = try await store.session(token: sessionCookie, now: now) else { return nil }
        return Principal(name: s.user.name, role: Role(rawValue: s.user.role) ?? .viewer, csrfToken: s.csrfToken)
    }

    public func logout(sessionCookie: String) async throws {
        try await store.deleteSession(token: sessionCookie)
    }

    static func checkName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw UserError("'\(name)' is not a usable user name: use 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
    }

    /// 32 random bytes (the system's secure generator) as 64 hex digits.
    public static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }
}
