import OutcryModel
import SQLKit

// Typed ids at the SQL edge: a `RecordID` binds and decodes as its `Int64`, through the
// drivers' direct integer paths (its `Codable` form is the same number, but goes through an
// encoder object per value). Statements write `\(bind: threadID)` and
// `row.decode(column: "id", as: ThreadID.self)` as they did with bare numbers.

extension SQLQueryString {
    mutating func appendInterpolation<Record>(bind value: RecordID<Record>) {
        appendInterpolation(bind: value.rawValue)
    }

    mutating func appendInterpolation<Record>(bind value: RecordID<Record>?) {
        appendInterpolation(bind: value?.rawValue)
    }

    mutating func appendInterpolation<Record>(binds values: [RecordID<Record>]) {
        appendInterpolation(binds: values.map(\.rawValue))
    }
}

extension SQLRow {
    func decode<Record>(column: String, as _: RecordID<Record>.Type) throws -> RecordID<Record> {
        RecordID(try decode(column: column, as: Int64.self))
    }

    func decode<Record>(column: String, as _: RecordID<Record>?.Type) throws -> RecordID<Record>? {
        try decode(column: column, as: Int64?.self).map { RecordID($0) }
    }
}

extension BulkRows {
    mutating func integer<Record>(_ value: RecordID<Record>?) { integer(value?.rawValue) }
}
