import Foundation

/// The two date forms feeds of posts use, read from bytes without building a string:
/// RFC 3339 (`2024-01-01T10:00:00Z`, `…+02:00`, fractions ignored) and RFC 822 with a numeric
/// or GMT/UT/Z/UTC zone (`Mon, 01 Jan 2024 10:00:00 +0000`). Gives the same instant as
/// `FeedDate.date(_:)`; anything else returns nil and the caller asks `FeedDate`, whose own
/// shortcut reads the same two forms through ``fields(_:)``.
enum FastDate {
    static func date(_ u: UnsafeBufferPointer<UInt8>) -> Date? {
        guard let f = fields(u) else { return nil }
        return instant(f.year, f.month, f.day, f.hour, f.minute, f.second, f.offsetMinutes)
    }

    /// The fields of an RFC 3339 or RFC 822 date in one of the two forms, unchecked ranges; nil
    /// for anything else.
    static func fields(_ u: UnsafeBufferPointer<UInt8>)
        -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetMinutes: Int)? {
        let n = u.count
        @inline(__always) func num(_ i: Int, _ len: Int) -> Int? {
            guard i >= 0, i + len <= n else { return nil }
            var v = 0
            for k in i..<(i + len) {
                let c = u[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        if n >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
            u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let se = num(17, 2)
        {
            var i = 19
            if i < n && u[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, u[i] >= 48, u[i] <= 57 { i += 1 }
            }
            var offset = 0
            if i + 1 == n && u[i] == UInt8(ascii: "Z") {
                offset = 0
            } else if i + 6 == n, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), u[i + 3] == UInt8(ascii: ":"),
                let oh = num(i + 1, 2), let om = num(i + 4, 2)
            {
                offset = (u[i] == UInt8(ascii: "-") ? -1 : 1) * (oh * 60 + om)
            } else {
                return nil
            }
            return (y, mo, d, h, mi, se, offset)
        }
        var i = 0
        if n >= 5, u[3] == UInt8(ascii: ","), u[4] == UInt8(ascii: " ") { i = 5 }
        var dayLen = 0
        while i + dayLen < n, u[i + dayLen] >= 48, u[i + dayLen] <= 57 { dayLen += 1 }
        guard dayLen == 1 || dayLen == 2, let d = num(i, dayLen) else { return nil }
        i += dayLen
        guard i + 22 <= n, u[i] == UInt8(ascii: " "), u[i + 4] == UInt8(ascii: " "), u[i + 9] == UInt8(ascii: " "),
            u[i + 12] == UInt8(ascii: ":"), u[i + 15] == UInt8(ascii: ":"), u[i + 18] == UInt8(ascii: " ")
        else { return nil }
        guard let mo = month(u[i + 1], u[i + 2], u[i + 3]), let y = num(i + 5, 4), let h = num(i + 10, 2),
            let mi = num(i + 13, 2), let se = num(i + 16, 2)
        else { return nil }
        let z = i + 19
        var offset = 0
        if n - z == 5, u[z] == UInt8(ascii: "+") || u[z] == UInt8(ascii: "-"), let oh = num(z + 1, 2), let om = num(z + 3, 2) {
            offset = (u[z] == UInt8(ascii: "-") ? -1 : 1) * (oh * 60 + om)
        } else {
            let zone = n - z
            let ok: Bool
            switch zone {
            case 1: ok = u[z] == UInt8(ascii: "Z")
            case 2: ok = u[z] == UInt8(ascii: "U") && u[z + 1] == UInt8(ascii: "T")
            case 3:
                ok = (u[z] == UInt8(ascii: "G") && u[z + 1] == UInt8(ascii: "M") && u[z + 2] == UInt8(ascii: "T"))
                    || (u[z] == UInt8(ascii: "U") && u[z + 1] == UInt8(ascii: "T") && u[z + 2] == UInt8(ascii: "C"))
            default: ok = false
            }
            guard ok else { return nil }
        }
        return (y, mo, d, h, mi, se, offset)
    }

    /// Month number from three ASCII letters, any case.
    private static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        switch key {
        case 0x6A_616E: return 1  // jan
        case 0x66_6562: return 2  // feb
        case 0x6D_6172: return 3  // mar
        case 0x61_7072: return 4  // apr
        case 0x6D_6179: return 5  // may
        case 0x6A_756E: return 6  // jun
        case 0x6A_756C: return 7  // jul
        case 0x61_7567: return 8  // aug
        case 0x73_6570: return 9  // sep
        case 0x6F_6374: return 10  // oct
        case 0x6E_6F76: return 11  // nov
        case 0x64_6563: return 12  // dec
        default: return nil
        }
    }

    /// `FeedDate.utcTuple` then `FeedDate.date`, without the tuple; years near the ends of
    /// the range are left to `FeedDate`.
    private static func instant(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ se: Int, _ offsetMinutes: Int) -> Date? {
        guard y >= 2, y <= 9998, (1...12).contains(mo), d >= 1, d <= FeedDate.daysIn(y, mo), (0...23).contains(h),
            (0...59).contains(mi), (0...59).contains(se)
        else { return nil }
        let local = FeedDate.daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se
        return Date(timeIntervalSince1970: TimeInterval(local - offsetMinutes * 60))
    }
}
