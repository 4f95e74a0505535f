import Crypto
import Foundation
import OutcryModel
import SQLKit

/// A dashboard user: a name, a role and a password hash (bcrypt, made by the web side).
public struct UserRecord: Sendable, Equatable {
    public var id: UserID
    public var name: String
    /// `viewer`, `responder` or `admin`.
    public var role: String
    public var passwordHash: String
    public var createdAt: Date

    public init(id: UserID, name: String, role: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// A login session found by its cookie: whose it is and the CSRF token its forms carry.
public struct SessionRecord: Sendable, Equatable {
    public var user: UserRecord
    public var csrfToken: String
    public var expiresAt: Date
}

extension Store {
    /// Adds a user; a name already taken (in any case) is a clear error naming it.
    @discardableResult
    public func addUser(name: String, role: String, passwordHash: String, at: Date) async throws -> UserRecord {
        try await transaction {
            if try await sql.raw("SELECT id FROM users WHERE name = \(bind: name)").first() != nil {
                throw StoreError(description: "a user named '\(name)' already exists")
            }
            let row = try await sql.raw("""
                INSERT INTO users (name, role, password_hash, created_at)
                VALUES (\(bind: name), \(bind: role), \(bind: passwordHash), \(bind: at.timeIntervalSince1970)) RETURNING id
                """).first()
            guard let id = try row?.decode(column: "id", as: UserID.self) else { throw StoreError(description: "user insert returned no id") }
            try await recordAudit(actor: "cli", action: "user.add", contactID: nil, detail: "user \(name), role \(role)", at: at)
            return UserRecord(id: id, name: name, role: role, passwordHash: passwordHash, createdAt: at)
        }
    }

    /// Every user, by name.
    public func users() async throws -> [UserRecord] {
        try await sql.raw("SELECT * FROM users ORDER BY name").all().map(Self.user(from:))
    }

    /// The user of this name (any case), or nil.
    public func user(named name: String) async throws -> UserRecord? {
        try await sql.raw("SELECT * FROM users WHERE name = \(bind: name)").first().map(Self.user(from:))
    }

    /// Starts a session: the cookie value is kept only as its SHA-256.
    public func createSession(userID: UserID, token: String, csrfToken: String, expiresAt: Date, now: Date) async throws {
        try await transaction {
            // Expired sessions go whenever a new one starts (a table that only grows is a leak).
            try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now.timeIntervalSince1970)").run()
            try await sql.raw("""
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: Self.secretHash(token)), \(bind: userID), \(bind: csrfToken), \(bind: now.timeIntervalSince1970),
                        \(bind: expiresAt.timeIntervalSince1970))
                """).run()
        }
    }

    /// The live session of a cookie value, or nil (unknown or expired).
    public func session(token: String, now: Date) async throws -> SessionRecord? {
        guard let row = try await sql.raw("""
            SELECT u.*, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: Self.secretHash(token)) AND s.expires_at > \(bind: now.timeIntervalSince1970)
            """).first() else { return nil }
        return SessionRecord(user: try Self.user(from: row), csrfToken: try row.decode(column: "csrf_token", as: String.self),
                             expiresAt: Date(timeIntervalSince1970: try row.decode(column: "expires_at", as: Double.self)))
    }

    /// Ends a session (logout).
    public func deleteSession(token: String) async throws {
        try await transaction {
            try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.secretHash(token))").run()
        }
    }

    /// Stores a new API token for a user (only its SHA-256).
    public func addAPIToken(userID: UserID, token: String, now: Date) async throws {
        try await transaction {
            try await sql.raw("""
                INSERT INTO api_tokens (token_hash, user_id, created_at)
                VALUES (\(bind: Self.secretHash(token)), \(bind: userID), \(bind: now.timeIntervalSince1970))
                """).run()
            let name = try await sql.raw("SELECT name FROM users WHERE id = \(bind: userID)").first()?.decode(column: "name", as: String.self)
            try await recordAudit(actor: "cli", action: "user.token", contactID: nil, detail: "new API token for user \(name ?? "#\(userID)")", at: now)
        }
    }

    /// The user an API token belongs to, or nil.
    public func user(apiToken: String) async throws -> UserRecord? {
        try await sql.raw("""
            SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = \(bind: Self.secretHash(apiToken))
            """).first().map(Self.user(from:))
    }

    static func secretHash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }

    static func user(from row: any SQLRow) throws -> UserRecord {
        UserRecord(
            id: try row.decode(column: "id", as: UserID.self), name: try row.decode(column: "name", as: String.self),
            role: try row.decode(column: "role", as: String.self), passwordHash: try row.decode(column: "password_hash", as: String.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }
}
