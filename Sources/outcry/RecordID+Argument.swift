import ArgumentParser
import OutcryModel

/// Ids as command-line arguments (`outcry show 42`, `outcry ack 3 4`): read as `Int64` reads
/// them, so a bad id is refused with the same message as before ids were typed.
extension RecordID: ExpressibleByArgument {}
