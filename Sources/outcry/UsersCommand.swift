import ArgumentParser
import Foundation
import OutcryApp
import OutcryWeb
#if canImport(Glibc)
import Glibc
#endif

extension Role: ExpressibleByArgument {}

/// `outcry users add|list|token`: the dashboard's people and their API tokens.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "The dashboard's users: add one, list them, give one an API token.",
        discussion: """
            Roles: viewer (reads the queue, threads and sources), responder (also acts on threads and labels mentions),
            admin (everything). Passwords are kept as bcrypt hashes; sessions and tokens as SHA-256 hashes.
            """,
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersTokenCommand.self]
    )
}

struct UsersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user: `outcry users add ana --role responder` (the password is prompted for, or read from stdin).",
        discussion: "On a terminal the password is asked twice without echo; otherwise the first line of stdin is the password."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The user's name (letters, digits, '.', '_', '-', '@').")
    var name: String

    @Option(help: "viewer, responder or admin.")
    var role: Role

    func run() async throws {
        let config = try options.load()
        let password: String
        do { password = try PasswordInput.read(for: name) } catch let error as UserError {
            Terminal.error(error.description)
            throw ExitCode(1)
        }
        do {
            try await withDesk(config) { desk in
                _ = try await desk.accounts(hasher: BcryptHasher()).add(name: name, role: role, password: password)
            }
        } catch let error as UserError {
            Terminal.error(error.description)
            throw ExitCode(1)
        }
        Terminal.out("user \(name) added (\(role.rawValue)); log in at the dashboard's /login")
    }
}

struct UsersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the dashboard's users and their roles.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try options.load()
        let users = try await withDesk(config) { try await $0.accounts(hasher: BcryptHasher()).list() }
        if users.isEmpty {
            Terminal.out("No users yet: add one with `outcry users add NAME --role admin`.")
            return
        }
        let width = max(4, users.map(\.name.count).max() ?? 0)
        Terminal.out("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ROLE       SINCE")
        for u in users {
            Terminal.out(u.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                         + u.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + "  " + u.createdAt.formatted(.iso8601))
        }
    }
}

struct UsersTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a new API token for a user (bearer token for /api, with the user's role).",
        discussion: "The token is printed once; only its hash is stored. Use it as `Authorization: Bearer TOKEN`."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The user's name.")
    var name: String

    func run() async throws {
        let config = try options.load()
        do {
            let token = try await withDesk(config) { desk in
                try await desk.accounts(hasher: BcryptHasher()).issueToken(name: name)
            }
            print(token)
        } catch let error as UserError {
            Terminal.error(error.description)
            throw ExitCode(1)
        }
    }
}

/// The password: asked twice without echo on a terminal, else the first line of stdin.
enum PasswordInput {
    static func read(for name: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw UserError("no password on stdin for '\(name)': pipe one line, e.g. `printf '%s\\n' \"$PASSWORD\" | outcry users add \(name) --role viewer`")
            }
            return line
        }
        let first = try prompt("Password for \(name): ")
        let second = try prompt("Again: ")
        guard first == second else { throw UserError("the two passwords differ: nothing was added") }
        return first
    }

    static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw UserError("no password given") }
        return line
    }
}
